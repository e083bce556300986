import type Handlebars from 'handlebars';
import { dateTimeFormat } from '@libs/calendar/date-format';
import type { Locale, MessageCatalog } from '@libs/i18n';
import { highlightSegments } from '@libs/search/highlight';

type Root = { locale?: Locale; form?: { errors?: Record<string, { key: string; params?: Record<string, unknown> }[]>; values?: Record<string, unknown> }; timeZone?: string };

const root = (options: Handlebars.HelperOptions) => (options.data?.root ?? {}) as Root;

export function registerViewHelpers(hbs: typeof Handlebars, catalog: MessageCatalog): void {
  /** {{t "key" name=value}} — a message in the page's language. */
  hbs.registerHelper('t', (key: string, options: Handlebars.HelperOptions) =>
    catalog.t(root(options).locale ?? 'ja', key, options.hash as Record<string, unknown>),
  );
  /** {{tv "prefix" value}} — translates an enum value: tv "status" "alumni" -> status.alumni */
  hbs.registerHelper('tv', (prefix: string, value: unknown, options: Handlebars.HelperOptions) =>
    value === null || value === undefined || value === '' ? '' : catalog.t(root(options).locale ?? 'ja', `${prefix}.${String(value)}`),
  );
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('ne', (a: unknown, b: unknown) => a !== b);
  hbs.registerHelper('not', (a: unknown) => !a);
  hbs.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hbs.registerHelper('includes', (list: unknown, value: unknown) => Array.isArray(list) && list.includes(value));
  hbs.registerHelper('join', (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : '、') : ''));
  hbs.registerHelper('add', (a: number, b: number) => Number(a) + Number(b));
  hbs.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).map(String).join(''));

  /** {{date value}} / {{date value "datetime"}} in the page's language and the viewer's time zone. */
  hbs.registerHelper('date', (value: unknown, ...rest: unknown[]) => {
    const options = rest.pop() as Handlebars.HelperOptions;
    const style = typeof rest[0] === 'string' ? rest[0] : 'date';
    if (!value) return '';
    const d = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(d.getTime())) return '';
    const r = root(options);
    const locale = r.locale === 'en' ? 'en-GB' : 'ja-JP';
    const timeZone = r.timeZone ?? 'Asia/Tokyo';
    return style === 'datetime'
      ? dateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(d)
      : dateTimeFormat(locale, { dateStyle: 'medium', timeZone: /^\d{4}-\d{2}-\d{2}$/.test(String(value)) ? 'UTC' : timeZone }).format(d);
  });

  /** {{highlight text words}} — the text, escaped, with the searched words in <mark> (width, case and kana folded). */
  hbs.registerHelper('highlight', (text: unknown, words: unknown) => {
    if (text === null || text === undefined) return '';
    const list = Array.isArray(words) ? words.filter((w): w is string => typeof w === 'string') : [];
    const html = highlightSegments(String(text), list)
      .map((seg) => (seg.match ? `<mark>${hbs.escapeExpression(seg.text)}</mark>` : hbs.escapeExpression(seg.text)))
      .join('');
    return new hbs.SafeString(html);
  });

  /** Field-level messages of the form being re-shown after an error. */
  hbs.registerHelper('fieldErrors', (name: string, options: Handlebars.HelperOptions) => {
    const r = root(options);
    return (r.form?.errors?.[name] ?? []).map((e) => catalog.t(r.locale ?? 'ja', e.key, e.params));
  });
  /** Messages of repeated rows (`career.2.from`), each prefixed with its row number. */
  hbs.registerHelper('errorsUnder', (prefix: string, options: Handlebars.HelperOptions) => {
    const r = root(options);
    const locale = r.locale ?? 'ja';
    const out: string[] = [];
    for (const [name, messages] of Object.entries(r.form?.errors ?? {})) {
      if (name !== prefix && !name.startsWith(`${prefix}.`)) continue;
      const row = /^[^.]+\.(\d+)/.exec(name)?.[1];
      for (const m of messages) {
        const text = catalog.t(locale, m.key, m.params);
        out.push(row === undefined ? text : catalog.t(locale, 'form.rowError', { row: Number(row) + 1, message: text }));
      }
    }
    return out;
  });
  /** The submitted value when a form is re-shown, else the stored value. */
  hbs.registerHelper('fieldValue', (name: string, fallback: unknown, options: Handlebars.HelperOptions) => {
    const values = root(options).form?.values;
    if (values && name in values) return values[name];
    return fallback ?? '';
  });
}
