import { ValidationPipe } from '@nestjs/common';

import { validationException } from './api-error';

/**
 * The global pipe: query, params and bodies are converted into their DTO classes and validated; unknown
 * fields are refused; a failure is a 400 whose `field` names the parameter at fault.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: false,
    validationError: { target: false, value: false },
    exceptionFactory: validationException,
  });
}
