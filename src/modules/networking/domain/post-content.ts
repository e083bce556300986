import { renderMarkdown } from '@libs/markdown/markdown';
import { bigramTokens, normalizeForSearch, searchText } from '@libs/search/japanese-text';

/**
 * What is stored for a post's text: the Markdown source as typed, its sanitised HTML (rendered once, at write time,
 * so that a page of posts costs no rendering), and the search keys (libs/search: bigrams and the folded text).
 */

/** `@` then a name typed without spaces: letters, kana, kanji, digits, ・ー and the like; ends at space or punctuation. */
const MENTION = /(^|[^\p{L}\p{N}_@])@([\p{L}\p{N}_\u30fc\u30fb\u3005-]{1,30})/gu;
const CODE = /```[\s\S]*?(```|$)|`[^`\n]*`/g;

/** The names written after @ in a body, outside code, folded, each once (at most 10). */
export function mentionHandles(body: string): string[] {
  const text = body.replace(CODE, ' ');
  const handles = new Set<string>();
  for (const m of text.matchAll(MENTION)) {
    handles.add(m[2]);
    if (handles.size >= 10) break;
  }
  return [...handles];
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The post's HTML: Markdown (raw HTML off) through the sanitiser with members' links marked ugc, and each resolved
 * @mention a link to the member's profile. Mentions inside code and links stay text.
 */
export function renderPost(body: string, mentions: ReadonlyMap<string, string> = new Map()): string {
  const html = renderMarkdown(body, { userContent: true });
  if (mentions.size === 0) return html;
  const parts = html.split(/(<[^>]+>)/);
  let inCode = 0;
  let inLink = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.startsWith('<')) {
      if (/^<(code|pre)[\s>]/.test(part)) inCode++;
      else if (/^<\/(code|pre)>/.test(part)) inCode = Math.max(0, inCode - 1);
      else if (/^<a[\s>]/.test(part)) inLink++;
      else if (part === '</a>') inLink = Math.max(0, inLink - 1);
      continue;
    }
    if (inCode || inLink || !part.includes('@')) continue;
    parts[i] = part.replace(MENTION, (all, before: string, handle: string) => {
      const memberId = mentions.get(handle);
      return memberId ? `${before}<a class="mention" href="/members/${memberId}">@${escapeHtml(handle)}</a>` : all;
    });
  }
  return parts.join('');
}

/** Search keys of a post; the first post of a thread carries the thread's title too. */
export function postSearchKeys(body: string, title?: string): { tokens: string[]; text: string } {
  return { tokens: bigramTokens(title, body), text: searchText(title, body) };
}

/** Plain text of a body for snippets, excerpts and notices (Markdown marks dropped, spaces collapsed). */
export function plainText(body: string): string {
  return body
    .replace(/```[\s\S]*?(```|$)/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`>#~|]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** About `length` characters of plain text around the first of the (folded) words, with … where it was cut. */
export function snippetAround(text: string, words: string[], length = 120): string {
  const chars = [...text];
  if (chars.length <= length) return text;
  let at = -1;
  // The folded text can differ in length from the original only around compatibility characters: good enough to
  // place a window, and the highlight (libs/search) marks the real occurrence.
  const folded = chars.map((c) => normalizeForSearch(c) || ' ');
  const joined = folded.join('');
  for (const w of words) {
    const i = joined.indexOf(w);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  let index = 0;
  let pos = 0;
  while (index < folded.length && pos + folded[index].length <= at) pos += folded[index++].length;
  const start = Math.max(0, Math.min(index - Math.floor(length / 3), chars.length - length));
  const out = chars.slice(start, start + length).join('');
  return `${start > 0 ? '…' : ''}${out}${start + length < chars.length ? '…' : ''}`;
}
