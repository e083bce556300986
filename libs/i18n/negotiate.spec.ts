import { localeFromAcceptLanguage, resolveLocale } from './negotiate';

describe('localeFromAcceptLanguage', () => {
  it.each([
    ['ja', 'ja'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7', 'ja'],
    ['EN-gb', 'en'],
    ['ja;q=0.3, en;q=0.7', 'en'],
    ['en;q=0.5,ja', 'ja'],
    ['fr-FR,fr;q=0.9,en;q=0.8,ja;q=0.7', 'en'],
    ['de, zh-CN;q=0.9, ja;q=0.1', 'ja'],
    ['ja;q=0, en', 'en'],
    ['en ; q=0.8 , ja ; q=0.9', 'ja'],
  ] as const)('picks the best supported language from "%s" → %s', (header, expected) => {
    expect(localeFromAcceptLanguage(header)).toBe(expected);
  });

  it('keeps the header order between languages of equal weight', () => {
    expect(localeFromAcceptLanguage('en;q=0.8, ja;q=0.8')).toBe('en');
    expect(localeFromAcceptLanguage('ja;q=0.8, en;q=0.8')).toBe('ja');
  });

  it.each([undefined, '', 'fr', 'de-DE,fr;q=0.5', '*', 'en;q=0', 'zz-ZZ;q=1'])('falls back when "%s" names no supported language', (header) => {
    expect(localeFromAcceptLanguage(header)).toBe('ja');
    expect(localeFromAcceptLanguage(header, 'en')).toBe('en');
  });
});

describe('resolveLocale', () => {
  it('prefers the member setting over the cookie and the browser', () => {
    expect(resolveLocale({ memberLocale: 'en', cookie: 'ja', acceptLanguage: 'ja' })).toBe('en');
    expect(resolveLocale({ memberLocale: 'ja', cookie: 'en', acceptLanguage: 'en' })).toBe('ja');
  });

  it('uses the cookie when the member has no setting', () => {
    expect(resolveLocale({ memberLocale: null, cookie: 'en', acceptLanguage: 'ja' })).toBe('en');
    expect(resolveLocale({ cookie: 'ja', acceptLanguage: 'en' })).toBe('ja');
  });

  it('ignores unsupported values in the member setting and the cookie', () => {
    expect(resolveLocale({ memberLocale: 'fr', cookie: 'en', acceptLanguage: 'ja' })).toBe('en');
    expect(resolveLocale({ memberLocale: 'fr', cookie: 'de', acceptLanguage: 'en-US' })).toBe('en');
    expect(resolveLocale({ cookie: 'EN', acceptLanguage: 'ja' })).toBe('ja');
  });

  it('uses the browser language when nothing else is set', () => {
    expect(resolveLocale({ acceptLanguage: 'en-GB,en;q=0.9' })).toBe('en');
  });

  it('falls back to the given default, then to Japanese', () => {
    expect(resolveLocale({ acceptLanguage: 'fr', fallback: 'en' })).toBe('en');
    expect(resolveLocale({ fallback: 'en' })).toBe('en');
    expect(resolveLocale({})).toBe('ja');
    expect(resolveLocale({ acceptLanguage: 'fr' })).toBe('ja');
  });
});
