import { normalizeForSearch } from './japanese-text';

export interface Segment {
  text: string;
  match: boolean;
}

/**
 * Splits text into segments, marking where any of the (normalised) words occurs, whatever the width, case or
 * kana of the original: searching たなか marks 「タナカ」 and 「ﾀﾅｶ」.
 */
export function highlightSegments(text: string, words: string[]): Segment[] {
  const chars = [...text];
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
