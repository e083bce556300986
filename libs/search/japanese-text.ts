import { KANJI_VARIANT_PAIRS } from './kanji-variants/table';

/**
 * Japanese-aware search text, for stock PostgreSQL (no extension). Search keys only: stored and displayed text keeps
 * the characters as given.
 * - normalise: NFKC (full-width → half-width, compatibility characters), lower case, katakana → hiragana, variant
 *   kanji to the common form (髙→高, 﨑→崎, 邊→辺; kanji-variants/), ideographic variation selectors and spaces
 *   removed, so 「ＴＡＮＡＫＡ」「tanaka」, 「タナカ」「たなか」 and 「髙橋」「高橋」 compare equal;
 * - index: every distinct run of one, two and three neighbouring characters (uni-, bi- and trigrams) in a
 *   GIN-indexed text[] column, so that a two-character word such as 人事 inside 人事部長 is found through the index;
 * - query: a word of up to three characters is itself a token (exact); a longer word must contain all its trigrams,
 *   then a LIKE on the normalised text removes the rare false positives (trigrams present, but not in sequence).
 */

const SPACES = /[\s\u3000・]+/g;

/** Katakana (ァ-ヶ, ヽヾ) to hiragana; everything else unchanged. */
export function toHiragana(s: string): string {
  return s.replace(/[\u30a1-\u30f6\u30fd\u30fe]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
}

/** Hiragana (ぁ-ゖ, ゝゞ) to katakana: readings are stored in katakana whichever script they were typed in. */
export function toKatakana(s: string): string {
  return s.replace(/[\u3041-\u3096\u309d\u309e]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));
}

/** Variation selectors (U+FE00–FE0F, and the ideographic ones U+E0100–E01EF): a glyph choice, not a character. */
const VARIATION_SELECTORS = /[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/gu;

const KANJI_VARIANTS: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  const chars = [...KANJI_VARIANT_PAIRS.join('')];
  for (let i = 0; i + 1 < chars.length; i += 2) map.set(chars[i], chars[i + 1]);
  return map;
})();

/** Variant kanji to the common Japanese form (髙→高, 﨑→崎, 邉/邊→辺, 齋/齊→斎, 澤→沢 …); idempotent. */
export function foldKanjiVariants(s: string): string {
  let out = '';
  for (const c of s) out += KANJI_VARIANTS.get(c) ?? c;
  return out;
}

/**
 * The one folding of every search key, at index time and at query time (directory, HR member list and its export,
 * events, check-in): NFKC, lower case, katakana → hiragana, variant kanji, no variation selectors or spaces.
 */
/**
 * A reading as the profile form takes it (full-width katakana): half-width katakana widened (ｽｽﾞｷ → スズキ) and
 * hiragana written in katakana; nothing else changes. For suggesting a value in a form, never for storing HR's data.
 */
export function readingForForm(s: string): string {
  return toKatakana(s.replace(/[\uFF61-\uFF9F]+/g, (run) => run.normalize('NFKC')));
}

export function normalizeForSearch(text: string | null | undefined): string {
  if (!text) return '';
  return foldKanjiVariants(toHiragana(text.replace(VARIATION_SELECTORS, '').normalize('NFKC').toLowerCase())).replace(SPACES, '');
}

export const TOKEN_LENGTH = 3;

/** Distinct 1-, 2- and 3-character runs of normalised text (parts are normalised apart: no token spans two parts). */
export function searchTokens(...parts: (string | null | undefined)[]): string[] {
  const tokens = new Set<string>();
  for (const part of parts) {
    const chars = [...normalizeForSearch(part)];
    for (let i = 0; i < chars.length; i++) {
      for (let n = 1; n <= TOKEN_LENGTH && i + n <= chars.length; n++) tokens.add(chars.slice(i, i + n).join(''));
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

/** The tokens a row must contain for a word: the word itself up to three characters, else its trigrams. */
export function wordTokens(word: string): string[] {
  const chars = [...word];
  if (chars.length <= TOKEN_LENGTH) return [word];
  const out = new Set<string>();
  for (let i = 0; i + TOKEN_LENGTH <= chars.length; i++) out.add(chars.slice(i, i + TOKEN_LENGTH).join(''));
  return [...out];
}

/** Whether matching the word's tokens is already an exact substring match (no text check needed). */
export function isExactToken(word: string): boolean {
  return [...word].length <= TOKEN_LENGTH;
}

/** A LIKE pattern matching the word anywhere, with LIKE's own characters escaped. */
export function containsPattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/*
 * Long texts (forum posts, messages, articles) are indexed by bigrams only: a trigram index of a million posts is
 * three times the size for no gain in what is found. A word of two characters is then one exact token, a longer word
 * must contain all its bigrams (and a LIKE on the normalised text removes false positives), and a one-character word
 * cannot be searched through the index (callers ask for two characters or more).
 */
export const LONG_TEXT_MIN_WORD = 2;

/** Distinct 2-character runs of normalised text, for long texts (parts are normalised apart). */
export function bigramTokens(...parts: (string | null | undefined)[]): string[] {
  const tokens = new Set<string>();
  for (const part of parts) {
    const chars = [...normalizeForSearch(part)];
    for (let i = 0; i + 2 <= chars.length; i++) tokens.add(chars[i] + chars[i + 1]);
  }
  return [...tokens];
}

/** The bigram tokens a long text must contain for a word of two characters or more. */
export function bigramWordTokens(word: string): string[] {
  const chars = [...word];
  const out = new Set<string>();
  for (let i = 0; i + 2 <= chars.length; i++) out.add(chars[i] + chars[i + 1]);
  return [...out];
}
