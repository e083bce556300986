import { normalizeForSearch } from './japanese-text';

export interface Segment {
  text: string;
  match: boolean;
}

/** Marks that belong to the character before them: (half-width) voiced sound marks and variation selectors. */
const ATTACHED = /^(?:\u3099|\u309A|\uFF9E|\uFF9F|[\uFE00-\uFE0F]|[\u{E0100}-\u{E01EF}])$/u;

/** The text in units of a character with the marks that follow it (ｶﾞ, 葛 with its variation selector). */
function units(text: string): string[] {
  const out: string[] = [];
  for (const c of text) {
    if (out.length > 0 && ATTACHED.test(c)) out[out.length - 1] += c;
    else out.push(c);
  }
  return out;
}

/**
 * Splits text into segments, marking where any of the (normalised) words occurs, whatever the width, case, kana or
 * kanji variant of the original: searching たなか marks 「タナカ」 and 「ﾀﾅｶ」, searching 高橋 marks 「髙橋」 as written.
 */
export function highlightSegments(text: string, words: string[]): Segment[] {
  const chars = units(text);
  const wanted = words.filter(Boolean);
  if (wanted.length === 0 || chars.length === 0) return [{ text, match: false }];
  const normChars: string[] = [];
  const origin: number[] = [];
  chars.forEach((c, i) => {
    for (const n of normalizeForSearch(c)) {
      normChars.push(n);
      origin.push(i);
    }
  });
  const marked = new Array<boolean>(chars.length).fill(false);
  for (const word of wanted) {
    const w = [...word];
    for (let start = 0; start + w.length <= normChars.length; start++) {
      let hit = true;
      for (let k = 0; k < w.length && hit; k++) hit = normChars[start + k] === w[k];
      if (hit) for (let i = origin[start]; i <= origin[start + w.length - 1]; i++) marked[i] = true;
    }
  }
  const segments: Segment[] = [];
  chars.forEach((c, i) => {
    const last = segments[segments.length - 1];
    if (last && last.match === marked[i]) last.text += c;
    else segments.push({ text: c, match: marked[i] });
  });
  return segments;
}
