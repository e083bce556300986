/**
 * Control characters have no place in anything a person types: C0 controls except TAB, LF and CR, DEL, the C1
 * controls, and lone UTF-16 surrogates (half of a character). PostgreSQL refuses NUL outright, and the others are
 * invisible in a page, an e-mail or a spreadsheet. Request input is checked once, where it enters (the global
 * validation pipe: query strings, form fields, JSON bodies, route parameters, uploaded file names); uploaded CSV
 * files check their cells with the same rule.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}

/** Where a refused value was found: the field (dotted path, as validation messages name fields), or '' for a key. */
export interface ControlCharacterHit {
  field: string;
  /** The control character is in a field's name rather than its value. */
  inName: boolean;
}

const MAX_DEPTH = 12;

function isUploadedFile(value: object): value is { originalname?: unknown; fieldname?: unknown } {
  return 'fieldname' in value && 'originalname' in value;
}

/** The first place in a request value (string, array, plain object, uploaded file) holding a control character. */
export function findControlCharacters(value: unknown, field = '', depth = 0): ControlCharacterHit | undefined {
  if (typeof value === 'string') return hasControlCharacters(value) ? { field, inName: false } : undefined;
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH || Buffer.isBuffer(value)) return undefined;
  if (isUploadedFile(value)) {
    // A file's bytes are checked by whoever reads them (e.g. the roster import's CSV cells); its name is text.
    return typeof value.originalname === 'string' && hasControlCharacters(value.originalname) ? { field: field || String(value.fieldname), inName: false } : undefined;
  }
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  for (const [key, child] of entries) {
    if (hasControlCharacters(key)) return { field, inName: true };
    const hit = findControlCharacters(child, field ? `${field}.${key}` : key, depth + 1);
    if (hit) return hit;
  }
  return undefined;
}
