import { DEFAULT_LOCALE, isLocale, type Locale } from './catalog';

/** Picks ja or en from an Accept-Language header, honouring q-values. */
export function localeFromAcceptLanguage(header: string | undefined, fallback: Locale = DEFAULT_LOCALE): Locale {
  if (!header) return fallback;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q.slice(2)) || 0 : 1, index };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const r of ranked) if (isLocale(r.lang)) return r.lang;
  return fallback;
}

/** The member's own setting wins, then the language cookie, then the browser, then the site default. */
export function resolveLocale(input: {
  memberLocale?: string | null;
  cookie?: string;
  acceptLanguage?: string;
  fallback?: Locale;
}): Locale {
  if (isLocale(input.memberLocale)) return input.memberLocale;
  if (isLocale(input.cookie)) return input.cookie;
  return localeFromAcceptLanguage(input.acceptLanguage, input.fallback ?? DEFAULT_LOCALE);
}
