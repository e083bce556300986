import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LOCALE, LOCALES, MessageCatalog, isLocale } from './catalog';

const placeholders = (message: string) => [...new Set([...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

describe('the real message catalogs', () => {
  const catalog = new MessageCatalog(process.cwd());
  const ja = catalog.keys('ja');
  const en = catalog.keys('en');

  it('are found and hold messages from libs and src', () => {
    expect(ja.length).toBeGreaterThan(50);
    expect(catalog.has('ja', 'errors.backHome')).toBe(true);
    expect(ja.some((k) => k.startsWith('membership.'))).toBe(true);
  });

  it('have exactly the same keys in Japanese and English', () => {
    const enSet = new Set(en);
    const jaSet = new Set(ja);
    const difference = {
      missingInEnglish: ja.filter((k) => !enSet.has(k)).sort(),
      missingInJapanese: en.filter((k) => !jaSet.has(k)).sort(),
    };
    expect(difference).toEqual({ missingInEnglish: [], missingInJapanese: [] });
  });

  it('use the same {placeholders} in both languages', () => {
    const mismatched = ja
      .filter((key) => catalog.has('en', key))
      .map((key) => ({ key, ja: placeholders(catalog.t('ja', key)), en: placeholders(catalog.t('en', key)) }))
      .filter((m) => m.ja.join() !== m.en.join());
    expect(mismatched).toEqual([]);
  });

  it('have no empty messages', () => {
    const empty = LOCALES.flatMap((locale) => catalog.keys(locale).filter((k) => catalog.t(locale, k).trim() === '').map((k) => `${locale}:${k}`));
    expect(empty).toEqual([]);
  });

  it('fill placeholders in both languages', () => {
    expect(catalog.t('ja', 'form.rowError', { row: 2, message: '入力してください。' })).toBe('2行目：入力してください。');
    expect(catalog.t('en', 'form.rowError', { row: 2, message: 'Please fill this in.' })).toBe('Row 2: Please fill this in.');
  });

  it('answer an unknown key with the key itself', () => {
    expect(catalog.t('en', 'no.such.key')).toBe('no.such.key');
    expect(catalog.t('ja', 'no.such.key')).toBe('no.such.key');
  });
});

describe('MessageCatalog', () => {
  let root: string;

  const write = (dir: string, locale: string, messages: unknown) => {
    mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, dir, `${locale}.json`), JSON.stringify(messages));
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kizuna-catalog-'));
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('merges nested catalogs from libs and src into one flat key space', () => {
    write('libs/web/i18n', 'ja', { form: { save: '保存する' } });
    write('src/modules/events/i18n', 'ja', { events: { list: { title: 'イベント' } } });
    write('src/modules/events/i18n', 'en', { events: { list: { title: 'Events' } } });
    const catalog = new MessageCatalog(root);
    expect(catalog.keys('ja').sort()).toEqual(['events.list.title', 'form.save']);
    expect(catalog.t('ja', 'events.list.title')).toBe('イベント');
    expect(catalog.t('en', 'events.list.title')).toBe('Events');
    expect(catalog.has('en', 'form.save')).toBe(false);
  });

  it('falls back to Japanese, then to the key', () => {
    write('src/modules/x/i18n', 'ja', { only: { ja: 'にほんご {name}' }, both: 'りょうほう' });
    write('src/modules/x/i18n', 'en', { both: 'both' });
    const catalog = new MessageCatalog(root);
    expect(catalog.t('en', 'both')).toBe('both');
    expect(catalog.t('en', 'only.ja')).toBe('にほんご {name}');
    expect(catalog.t('en', 'only.ja', { name: '花子' })).toBe('にほんご 花子');
    expect(catalog.t('en', 'missing.key')).toBe('missing.key');
    expect(DEFAULT_LOCALE).toBe('ja');
  });

  it('leaves placeholders without a parameter as they are and prints null parameters as empty', () => {
    write('libs/a/i18n', 'en', { m: '{page} of {pages} by {who}' });
    const catalog = new MessageCatalog(root);
    expect(catalog.t('en', 'm', { page: 1, who: null })).toBe('1 of {pages} by ');
    expect(catalog.t('en', 'm')).toBe('{page} of {pages} by {who}');
  });

  it('refuses a key defined twice', () => {
    write('libs/a/i18n', 'ja', { shared: { title: 'A' } });
    write('src/modules/b/i18n', 'ja', { shared: { title: 'B' } });
    expect(() => new MessageCatalog(root)).toThrow(/Duplicate message key "shared\.title"/);
  });

  it('skips node_modules and hidden folders', () => {
    write('libs/node_modules/pkg/i18n', 'ja', { pkg: 'x' });
    write('src/.cache/i18n', 'ja', { cache: 'x' });
    write('src/modules/ok/i18n', 'ja', { ok: 'はい' });
    expect(new MessageCatalog(root).keys('ja')).toEqual(['ok']);
  });

  it('is empty when there are no catalogs', () => {
    const catalog = new MessageCatalog(root);
    expect(catalog.keys('ja')).toEqual([]);
    expect(catalog.t('ja', 'anything')).toBe('anything');
  });
});

describe('isLocale', () => {
  it('accepts only the supported locales', () => {
    expect(LOCALES.filter(isLocale)).toEqual(['ja', 'en']);
    for (const value of ['JA', 'en-US', 'fr', '', null, undefined, 1]) expect(isLocale(value)).toBe(false);
  });
});
