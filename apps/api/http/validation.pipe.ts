import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

/** The global pipe: whitelisted DTOs, and one 400 message that names each field and rule broken. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    validateCustomDecorators: true,
    exceptionFactory: (errors) => new BadRequestException(validationMessages(errors).join('; ')),
  });
}

export function validationMessages(errors: ValidationError[], path = ''): string[] {
  return errors.flatMap((error) => {
    const field = path ? `${path}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([name, message]) =>
      name === 'whitelistValidation' ? `unknown key "${field}" is not allowed` : message,
    );
    return [...own, ...validationMessages(error.children ?? [], field)];
  });
}
