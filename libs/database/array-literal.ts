/**
 * A PostgreSQL array literal (`{"a","b"}`) for a raw statement's `?::text[]` / `?::uuid[]` parameter: a JavaScript
 * array given as one parameter is expanded to a list by the query builder, a literal string is not.
 */
export function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}
