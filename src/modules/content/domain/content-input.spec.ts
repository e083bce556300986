import type { ContentInput } from '../contracts/content';
import {
  CONTENT_IMAGE_SRC,
  changedFields,
  cleanComment,
  cleanContentInput,
  cleanTags,
  contentSearchKeys,
  readingMinutes,
  renderComment,
  renderContentBody,
} from './content-input';
import { ContentFieldError } from './content.errors';

const input = (over: Partial<ContentInput> = {}): Partial<ContentInput> => ({
  type: 'column',
  title: 'タイトル',
  summary: '',
  body: '本文',
  tags: [],
  visibility: 'members',
  language: 'ja',
  ...over,
});

const fieldError = (run: () => unknown) => {
  try {
    run();
  } catch (e) {
    if (e instanceof ContentFieldError) return { field: e.field, code: e.code, params: e.params };
    throw e;
  }
  return null;
};

describe('content input', () => {
  it('keeps text as typed, trimmed, with newlines normalised', () => {
    const fields = cleanContentInput(input({ title: '  ＤＸ　推進の\n一年  ', summary: '  要約です。 ', body: '\n\n一行目\r\n二行目  \n\n' }));
    expect(fields).toMatchObject({ title: 'ＤＸ　推進の 一年', summary: '要約です。', body: '一行目\n二行目', eventId: null, coverImageId: null, coverAlt: '' });
  });

  it.each(
    ([
    [{ title: ' ' }, 'title', 'content.errors.required'],
    [{ title: 'あ'.repeat(121) }, 'title', 'content.errors.tooLong'],
    [{ summary: 'あ'.repeat(301) }, 'summary', 'content.errors.tooLong'],
    [{ body: 'あ'.repeat(50_001) }, 'body', 'content.errors.tooLong'],
    [{ type: 'blog' as never }, 'type', 'content.errors.invalid'],
    [{ visibility: 'operators' as never }, 'visibility', 'content.errors.invalid'],
    [{ language: 'fr' as never }, 'language', 'content.errors.invalid'],
    [{ title: 'ok\u0007' }, 'title', 'content.errors.invalid'],
    [{ body: 'ok\u0000' }, 'body', 'content.errors.invalid'],
    [{ body: 'half \uD800 surrogate' }, 'body', 'content.errors.invalid'],
    [{ type: 'event-report' }, 'eventId', 'content.errors.required'],
    [{ eventId: '7f1c1f7e-5b3a-4d1e-9a55-0d3c5b0f9e11' }, 'eventId', 'content.errors.eventOnlyForReports'],
    [{ coverImageId: '../../etc/passwd' }, 'coverImageId', 'content.errors.invalid'],
  ] as [Partial<ContentInput>, string, string][]).map(([over, field, code]) => [field, code, over] as const),
  )('refuses bad input on %s: %s', (field, code, over) => {
    expect(fieldError(() => cleanContentInput(input(over as Partial<ContentInput>)))).toMatchObject({ field, code });
  });

  it('counts characters, not UTF-16 units: 120 emoji or kanji with surrogates fit the title', () => {
    expect(cleanContentInput(input({ title: '𠮷'.repeat(120) })).title).toHaveLength(240);
  });

  it('deduplicates tags by their folded key and keeps the first spelling', () => {
    expect(cleanTags(['DX', 'ｄｘ', ' Dx ', '#採用', '＃採用', 'カムバック', 'かむばっく', '', '  '])).toEqual(['DX', '採用', 'カムバック']);
    expect(fieldError(() => cleanTags(Array.from({ length: 9 }, (_, i) => `t${i}`)))).toMatchObject({ field: 'tags', code: 'content.errors.tooMany', params: { max: 8 } });
    expect(cleanTags([...Array.from({ length: 8 }, (_, i) => `t${i}`), 'T0'])).toHaveLength(8);
    expect(fieldError(() => cleanTags(['あ'.repeat(31)]))).toMatchObject({ field: 'tags', code: 'content.errors.tooLong', params: { max: 30 } });
    expect(fieldError(() => cleanTags('DX' as never))).toMatchObject({ field: 'tags', code: 'content.errors.invalid' });
  });

  it('applies a partial update over the base, dropping an event link when the type changes', () => {
    const base = cleanContentInput(input({ type: 'event-report', eventId: '7f1c1f7e-5b3a-4d1e-9a55-0d3c5b0f9e11', tags: ['交流会'] }));
    const next = cleanContentInput({ title: '新しいタイトル' }, base);
    expect(next).toMatchObject({ type: 'event-report', eventId: base.eventId, title: '新しいタイトル', tags: ['交流会'], body: '本文' });
    expect(changedFields(base, next)).toEqual(['title']);
    expect(cleanContentInput({ type: 'column' }, base).eventId).toBeNull();
    expect(changedFields(null, next)).toContain('body');
  });

  it('reads Japanese at 500 characters a minute, English at 230 words, at least a minute', () => {
    expect(readingMinutes('', 'ja')).toBe(1);
    expect(readingMinutes('あ'.repeat(500), 'ja')).toBe(1);
    expect(readingMinutes('あ'.repeat(501), 'ja')).toBe(2);
    expect(readingMinutes('あ'.repeat(2400), 'ja')).toBe(5);
    expect(readingMinutes(Array.from({ length: 460 }, () => 'word').join(' '), 'en')).toBe(2);
    expect(readingMinutes(Array.from({ length: 461 }, () => 'word').join(' '), 'en')).toBe(3);
    // Markdown marks and image paths are not read.
    expect(readingMinutes(`${'![](/content/images/0123456789abcdef0123456789abcdef/960)\n'.repeat(50)}本文`, 'ja')).toBe(1);
  });

  it('allows this site\'s content images in an article, nothing else, and no images in comments', () => {
    const id = '0123456789abcdef0123456789abcdef';
    const html = renderContentBody(`![図](/content/images/${id}/960)\n\n![原寸](/content/images/${id}/full)\n\n![x](/content/images/${id}/card)\n\n![x](https://evil.example/a.png)\n\n![x](/content/images/${id.slice(1)}/960)`);
    expect(html.match(/<img [^>]*>/g)).toEqual([
      `<img src="/content/images/${id}/960" alt="図" loading="lazy" decoding="async" />`,
      `<img src="/content/images/${id}/full" alt="原寸" loading="lazy" decoding="async" />`,
    ]);
    expect(CONTENT_IMAGE_SRC.test(`/content/images/${id}/960`)).toBe(true);
    expect(renderComment(`![図](/content/images/${id}/960) **太字**`)).not.toContain('<img');
    expect(renderComment(`![図](/content/images/${id}/960) **太字**`)).toContain('<strong>太字</strong>');
    expect(renderContentBody('[リンク](https://example.jp)')).toContain('rel="nofollow ugc noopener"');
  });

  it('indexes title, summary and body text by folded bigrams, without Markdown', () => {
    const keys = contentSearchKeys({ title: 'ＤＸ推進', summary: 'カタカナ', body: '**人事**部の[採用](https://example.jp/x)' });
    expect(keys.tokens).toEqual(expect.arrayContaining(['dx', 'x推', '推進', 'かた', '人事', '事部', '採用']));
    expect(keys.tokens).not.toContain('ht');
    expect(keys.text).toBe('dx推進\u0001かたかな\u0001人事部の採用');
  });

  it('checks comments: required, at most 5,000 characters', () => {
    expect(cleanComment('  ありがとうございます  ')).toBe('ありがとうございます');
    expect(fieldError(() => cleanComment(' \n '))).toMatchObject({ field: 'body', code: 'content.errors.required' });
    expect(fieldError(() => cleanComment('あ'.repeat(5001)))).toMatchObject({ field: 'body', code: 'content.errors.tooLong', params: { max: 5000 } });
  });
});
