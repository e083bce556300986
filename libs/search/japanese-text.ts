/**
 * Japanese-aware search text, for stock PostgreSQL (no extension):
 * - normalise: NFKC (full-width → half-width, compatibility characters), lower case, katakana → hiragana, and
 *   spaces removed, so 「ＴＡＮＡＫＡ」「tanaka」 and 「タナカ」「たなか」 compare equal;
 * - index: every distinct character and every pair of neighbouring characters (uni- and bigrams) in a GIN-indexed
 *   text[] column, so that a two-character word such as 人事 inside 人事部長 is found through the index;
 * - query: each word must contain all its bigrams (GIN containment), then a LIKE on the normalised text removes
 *   false positives (bigrams present, but not next to each other).
 */

const SPACES = /[\s\u3000・]+/g;

function toHiragana(s: string): string {
  return s.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
}

export function normalizeForSearch(text: string | null | undefined): string {
  if (!text) return '';
  return toHiragana(text.normalize('NFKC').toLowerCase()).replace(SPACES, '');
}

/** Distinct characters and bigrams of normalised text (each part normalised apart, so no bigram spans two parts). */
export function searchTokens(...parts: (string | null | undefined)[]): string[] {
  const tokens = new Set<string>();
  for (const part of parts) {
    const chars = [...normalizeForSearch(part)];
    for (let i = 0; i < chars.length; i++) {
      tokens.add(chars[i]);
      if (i + 1 < chars.length) tokens.add(chars[i] + chars[i + 1]);
    }
  }
  return [...tokens];
}

/** The normalised text that LIKE checks run against; parts are kept apart by a separator no query contains. */
export function searchText(...parts: (string | null | undefined)[]): string {
  return parts.map(normalizeForSearch).filter(Boolean).join('\u0001');
}

export const MAX_QUERY_WORDS = 5;
export const MAX_WORD_LENGTH = 40;

/** Words of a search box, normalised (full-width spaces separate words too). */
export function queryWords(q: string | null | undefined): string[] {
  if (!q) return [];
  const words = q
    .normalize('NFKC')
    .split(/[\s\u3000]+/)
    .map((w) => normalizeForSearch(w).slice(0, MAX_WORD_LENGTH))
    .filter(Boolean);
  return [...new Set(words)].slice(0, MAX_QUERY_WORDS);
}

/** The tokens a row must contain for a word: the word itself when one character long, else its bigrams. */
export function wordTokens(word: string): string[] {
  const chars = [...word];
  if (chars.length === 1) return chars;
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i] + chars[i + 1]);
  return [...out];
}

/** A LIKE pattern matching the word anywhere, with LIKE's own characters escaped. */
export function containsPattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
