import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import type { FieldMessage } from './form-state';

/** Invalid input, field by field, as message keys (`validation.<constraint>`) with their parameters. */
export class RequestValidationError extends Error {
  constructor(
    readonly fields: Record<string, FieldMessage[]>,
    /** Problems that belong to no field on the page (e.g. an unexpected field was sent). */
    readonly general: FieldMessage[] = [],
  ) {
    super('validation');
  }
}

/** When several rules fail for one field, the most basic one is the message a person needs first. */
const PRIORITY = [
  'isDefined', 'isNotEmpty', 'isString', 'isInt', 'isNumber', 'isBoolean', 'isArray', 'isDateString', 'isEmail', 'isIn',
  'isUuid', 'matches', 'min', 'max', 'minLength', 'maxLength', 'arrayMaxSize',
];
const rank = (constraint: string) => {
  const i = PRIORITY.indexOf(constraint);
  return i < 0 ? PRIORITY.length : i;
};

function constraintParams(target: object | undefined, property: string, constraint: string): Record<string, unknown> {
  if (!target) return {};
  const metas = getMetadataStorage().getTargetValidationMetadatas(target.constructor, '', true, false);
  const meta = metas.find((m) => m.propertyName === property && (m.name === constraint || m.type === constraint));
  const c = meta?.constraints ?? [];
  return { min: c[0], max: c[1] ?? c[0], value: c[0] };
}

function collect(errors: ValidationError[], prefix: string, into: Record<string, FieldMessage[]>, general: FieldMessage[]): void {
  for (const error of errors) {
    const name = prefix ? `${prefix}.${error.property}` : error.property;
    const failed = Object.entries(error.constraints ?? {});
    if (failed.some(([constraint]) => constraint === 'whitelistValidation')) {
      general.push({ key: 'validation.unknownField', params: { field: name } });
    } else if (failed.length > 0) {
      const [constraint, message] = failed.sort(([a], [b]) => rank(a) - rank(b))[0];
      // A decorator may name its own message key: @Matches(KANA, { message: 'kana' }) -> validation.kana
      const key = /^[a-zA-Z]+$/.test(message) ? `validation.${message}` : `validation.${constraint}`;
      (into[name] ??= []).push({ key, params: constraintParams(error.target, error.property, constraint) });
    }
    if (error.children?.length) collect(error.children, name, into, general);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: true, value: false },
    exceptionFactory: (errors) => {
      const fields: Record<string, FieldMessage[]> = {};
      const general: FieldMessage[] = [];
      collect(errors, '', fields, general);
      return new RequestValidationError(fields, general);
    },
  });
}
