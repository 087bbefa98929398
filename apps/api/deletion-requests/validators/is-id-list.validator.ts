import { idListProblem } from '#app/domain';
import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';

/** An array of 1..100 unique, non-blank string ids; the message names the index and the rule broken. */
export function IsIdList(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isIdList',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => idListProblem(args.property, value) === undefined,
        defaultMessage: (args?: ValidationArguments) =>
          args ? (idListProblem(args.property, args.value) ?? '') : 'invalid id list',
      },
    });
  };
}
