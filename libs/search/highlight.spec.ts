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

describe('highlighting variant kanji', () => {
  it('marks the characters as written when the search used the common form, and the reverse', () => {
    expect(marks('髙橋 一郎', '高橋')).toEqual(['髙橋']);
    expect(marks('高橋 一郎', '髙橋')).toEqual(['高橋']);
    expect(marks('山﨑 花子', '山崎')).toEqual(['山﨑']);
    expect(marks('渡邉さんと渡邊さん', '渡辺')).toEqual(['渡邉', '渡邊']);
  });

  it('keeps a variation selector and a half-width voiced mark with their character', () => {
    const text = '葛\u{E0100}飾区 ｶﾌﾞｼｷｶﾞｲｼｬ';
    expect(marks(text, '葛飾')).toEqual(['葛\u{E0100}飾']);
    expect(marks(text, 'かぶしきがいしゃ')).toEqual(['ｶﾌﾞｼｷｶﾞｲｼｬ']);
    expect(highlightSegments(text, queryWords('かぶ')).map((s) => s.text).join('')).toBe(text);
  });
});
