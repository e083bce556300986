import { KANJI_VARIANT_PAIRS } from './table';
import { foldKanjiVariants, normalizeForSearch, queryWords, searchTokens, wordTokens } from '../japanese-text';

const table = (() => {
  const chars = [...KANJI_VARIANT_PAIRS.join('')];
  const pairs: [string, string][] = [];
  for (let i = 0; i < chars.length; i += 2) pairs.push([chars[i], chars[i + 1]]);
  return pairs;
})();

describe('variant kanji in search keys', () => {
  it.each([
    ['髙', '高'],
    ['﨑', '崎'],
    ['邉', '辺'],
    ['邊', '辺'],
    ['齋', '斎'],
    ['齊', '斎'],
    ['濵', '浜'],
    ['濱', '浜'],
    ['德', '徳'],
    ['𠮷', '吉'],
    ['澤', '沢'],
    ['櫻', '桜'],
    ['籠', '篭'],
    ['嶋', '嶋'], // both 嶋 and 島 are common (JIS level 1): kept apart
    ['鬻', '鬻'], // distinct in Japanese (not 粥): kept
  ])('folds %s to %s', (variant, common) => {
    expect(foldKanjiVariants(variant)).toBe(common);
  });

  it('finds names written with either form', () => {
    expect(normalizeForSearch('髙橋 一郎')).toBe(normalizeForSearch('高橋一郎'));
    expect(normalizeForSearch('山﨑')).toBe(normalizeForSearch('山崎'));
    expect(new Set(['渡辺', '渡邉', '渡邊'].map(normalizeForSearch)).size).toBe(1);
    expect(new Set(['斎藤', '齋藤', '齊藤'].map(normalizeForSearch)).size).toBe(1);
    expect(new Set(['吉田', '𠮷田'].map(normalizeForSearch)).size).toBe(1);
    // A query word is folded the same way as the index, so its tokens are among the indexed ones.
    for (const t of wordTokens(queryWords('高橋')[0])) expect(searchTokens('髙橋 一郎')).toContain(t);
  });

  it('leaves common characters alone and never folds a target again (the fold is idempotent)', () => {
    expect(table.length).toBeGreaterThan(1000);
    const sources = new Set(table.map(([from]) => from));
    for (const [from, to] of table) {
      expect(from).not.toBe(to);
      expect(sources.has(to)).toBe(false);
      expect(foldKanjiVariants(foldKanjiVariants(from))).toBe(foldKanjiVariants(from));
    }
    for (const common of '高崎辺斎浜徳吉沢桜篭芸斉島一人事') expect(sources.has(common)).toBe(false);
  });

  it('drops ideographic variation selectors', () => {
    expect(normalizeForSearch('葛\u{E0100}飾')).toBe('葛飾');
    expect(normalizeForSearch('辻\uFE00')).toBe('辻');
  });
});
