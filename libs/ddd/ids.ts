const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value from a URL can be an id at all (anything else is not found, without asking the database). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
