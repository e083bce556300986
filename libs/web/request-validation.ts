import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import type { FieldMessage } from './form-state';

/** Invalid input, field by field, as message keys (`validation.<constraint>`) with their parameters. */
export class RequestValidationError extends Error {
  constructor(readonly fields: Record<string, FieldMessage[]>) {
    super('validation');
  }
}

function constraintParams(target: object | undefined, property: string, constraint: string): Record<string, unknown> {
  if (!target) return {};
  const metas = getMetadataStorage().getTargetValidationMetadatas(target.constructor, '', true, false);
  const meta = metas.find((m) => m.propertyName === property && (m.name === constraint || m.type === constraint));
  const c = meta?.constraints ?? [];
  return { min: c[0], max: c[1] ?? c[0], value: c[0] };
}

function collect(errors: ValidationError[], prefix: string, into: Record<string, FieldMessage[]>): void {
  for (const error of errors) {
    const name = prefix ? `${prefix}.${error.property}` : error.property;
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      // A decorator may name its own message key: @Matches(KANA, { message: 'kana' }) -> validation.kana
      const key = constraint === 'whitelistValidation'
        ? 'validation.unknownField'
        : /^[a-zA-Z]+$/.test(message) ? `validation.${message}` : `validation.${constraint}`;
      (into[name] ??= []).push({ key, params: constraintParams(error.target, error.property, constraint) });
    }
    if (error.children?.length) collect(error.children, name, into);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    validationError: { target: true, value: false },
    exceptionFactory: (errors) => {
      const fields: Record<string, FieldMessage[]> = {};
      collect(errors, '', fields);
      return new RequestValidationError(fields);
    },
  });
}
