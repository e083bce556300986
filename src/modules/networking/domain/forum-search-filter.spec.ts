import { forumSearchProblems } from './forum-search-filter';

const fields = (filter: { q: string; from?: string; to?: string }) => forumSearchProblems(filter).map((e) => `${e.field}:${e.code}`);

describe('forumSearchProblems', () => {
  it('accepts a word of two characters and real days in order', () => {
    expect(fields({ q: '東京', from: '2026-01-31', to: '2026-02-01' })).toEqual([]);
    expect(fields({ q: '東京 a', from: '2026-02-01', to: '2026-02-01' })).toEqual([]);
    expect(fields({ q: '' })).toEqual([]);
  });

  it('names every refused field at once, in the order of the form', () => {
    expect(fields({ q: 'a', from: '2026-13-45', to: '2026-02-30' })).toEqual(['q:networking.errors.wordTooShort', 'from:validation.isDateString', 'to:validation.isDateString']);
    expect(fields({ q: '東京', from: '2026-02-30', to: '2026-13-01' })).toEqual(['from:validation.isDateString', 'to:validation.isDateString']);
  });

  it('refuses a range that ends before it starts, but only between two real days', () => {
    expect(fields({ q: '東京', from: '2026-03-02', to: '2026-03-01' })).toEqual(['to:validation.dateRange']);
    expect(fields({ q: '東京', from: '2026-99-99', to: '2026-03-01' })).toEqual(['from:validation.isDateString']);
  });
});
