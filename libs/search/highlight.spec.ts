import { highlightSegments } from './highlight';
import { queryWords } from './japanese-text';

const marks = (text: string, q: string) =>
  highlightSegments(text, queryWords(q))
    .filter((s) => s.match)
    .map((s) => s.text);

describe('highlighting matches', () => {
  it('marks a two-character word inside longer Japanese text', () => {
    expect(marks('人事部で採用を担当', '人事 採用')).toEqual(['人事', '採用']);
  });

  it('marks katakana, half-width and full-width forms of the word typed', () => {
    expect(marks('タナカ ﾀﾅｶ ＴＡＮＡＫＡ', 'たなか')).toEqual(['タナカ', 'ﾀﾅｶ']);
    expect(marks('ＴＡＮＡＫＡ Tanaka', 'tanaka')).toEqual(['ＴＡＮＡＫＡ', 'Tanaka']);
  });

  it('keeps the text whole, with or without matches', () => {
    const segments = highlightSegments('営業部 部長', queryWords('部長'));
    expect(segments.map((s) => s.text).join('')).toBe('営業部 部長');
    expect(highlightSegments('営業部', [])).toEqual([{ text: '営業部', match: false }]);
  });
});
