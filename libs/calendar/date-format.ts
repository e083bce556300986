/**
 * One `Intl.DateTimeFormat` per locale and options, made once and reused: building a formatter costs far more than
 * formatting with it (tens of microseconds each, for every date on every page), and a formatter is immutable.
 * An unknown time zone still throws `RangeError`, as the constructor does; nothing is cached for it.
 */
const formats = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATS = 1000;

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    // Zones come from members' settings: a bounded number, but never let the map grow without end.
    if (formats.size >= MAX_FORMATS) formats.clear();
    formats.set(key, format);
  }
  return format;
}
