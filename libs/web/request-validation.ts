import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { findControlCharacters } from './control-characters';
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

const CHECKED: ArgumentMetadata['type'][] = ['body', 'query', 'param', 'custom'];

/**
 * Refuses control characters (see control-characters.ts) in every request value a controller receives — query
 * strings, form fields (urlencoded and multipart), JSON bodies, route parameters, uploaded file names — before any
 * other rule, with the field's message on the form (or a 400).
 */
export function rejectControlCharacters(value: unknown, metadata: ArgumentMetadata): void {
  if (!CHECKED.includes(metadata.type)) return;
  // Custom parameter decorators carry server-side objects (the viewer); only uploaded files among them are input.
  if (metadata.type === 'custom' && !(value && typeof value === 'object' && 'originalname' in value)) return;
  const hit = findControlCharacters(value, metadata.data ?? '');
  if (!hit) return;
  const message: FieldMessage = { key: 'validation.controlCharacters' };
  throw hit.inName || !hit.field ? new RequestValidationError({}, [message]) : new RequestValidationError({ [hit.field]: [message] });
}

/** The global pipe: control characters first, then the request class's rules. */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    rejectControlCharacters(value, metadata);
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
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
