import { DELETION_TYPES } from '#app/domain';
import { registerDecorator, type ValidationArguments } from 'class-validator';

/** The keys of `object` that name a deletion type. */
export function presentDeletionTypes(object: object): string[] {
  return DELETION_TYPES.filter((type) => (object as Record<string, unknown>)[type] !== undefined);
}

/** Class decorator: the body holds exactly one deletion type key (docs/ARCHITECTURE.md, "Create body"). */
export function ExactlyOneDeletionType(): ClassDecorator {
  return (target) => {
    registerDecorator({
      name: 'exactlyOneDeletionType',
      target,
      propertyName: 'body',
      validator: {
        validate: (_: unknown, args: ValidationArguments) => presentDeletionTypes(args.object).length === 1,
        defaultMessage: (args?: ValidationArguments) => {
          const present = args ? presentDeletionTypes(args.object) : [];
          const got = present.length === 0 ? 'none of them' : present.join(' and ');
          return `the body must hold exactly one of the keys ${DELETION_TYPES.join(', ')} (got ${got})`;
        },
      },
    });
  };
}
