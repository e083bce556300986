import sanitizeHtml from 'sanitize-html';
import { bigramTokens, normalizeForSearch, searchText } from '@libs/search/japanese-text';
import { CONVERSATION_DESCRIPTION_MAX, CONVERSATION_NAME_MAX, MESSAGE_MAX, type ChannelInput, type GroupInput } from '../contracts';
import { ChatTextRequiredError, ChatTextTooLongError, InvalidAudienceError, type ChatTextField, MessageRequiredError, MessageTooLongError } from './chat.errors';
import { isChannelAudience } from './chat-rules';

/**
 * What is stored for a chat message: the text as typed, its HTML (rendered once, at write time) and its search keys.
 * Chat text is not Markdown: a message is plain text in which links become links, @names of members become links to
 * their profile and line breaks stay; everything else is text (escaped), so `# 見出し` or `**` read as typed.
 */

const codePoints = (s: string) => [...s].length;

/** Text as typed: newlines normalised, trailing space and leading blank lines dropped (like the forum's posts). */
export function cleanText(s: string | null | undefined): string {
  return (s ?? '').replace(/\r\n?/g, '\n').replace(/\s+$/u, '').replace(/^\s*\n/, '');
}

/** A message body: 1–MESSAGE_MAX characters (code points) once cleaned. */
export function cleanMessageBody(body: string | null | undefined): string {
  const b = cleanText(typeof body === 'string' ? body : '');
  if (!b.trim()) throw new MessageRequiredError();
  if (codePoints(b) > MESSAGE_MAX) throw new MessageTooLongError(MESSAGE_MAX);
  return b;
}

/** One line (names): spaces collapsed. */
function line(s: unknown): string {
  return (typeof s === 'string' ? s : '').replace(/\s+/g, ' ').trim();
}

function limited(value: string, field: ChatTextField, max: number): string {
  if (codePoints(value) > max) throw new ChatTextTooLongError(field, max);
  return value;
}

export function cleanChannelInput(input: ChannelInput): ChannelInput {
  const nameJa = line(input?.nameJa);
  if (!nameJa) throw new ChatTextRequiredError('nameJa');
  if (!isChannelAudience(input.audience)) throw new InvalidAudienceError();
  return {
    nameJa: limited(nameJa, 'nameJa', CONVERSATION_NAME_MAX),
    nameEn: limited(line(input.nameEn), 'nameEn', CONVERSATION_NAME_MAX),
    descriptionJa: limited(cleanText(input.descriptionJa).trim(), 'descriptionJa', CONVERSATION_DESCRIPTION_MAX),
    descriptionEn: limited(cleanText(input.descriptionEn).trim(), 'descriptionEn', CONVERSATION_DESCRIPTION_MAX),
    audience: input.audience,
  };
}

export function cleanGroupInput(input: GroupInput): GroupInput {
  const name = line(input?.name);
  if (!name) throw new ChatTextRequiredError('name');
  return {
    name: limited(name, 'name', CONVERSATION_NAME_MAX),
    description: limited(cleanText(input.description).trim(), 'description', CONVERSATION_DESCRIPTION_MAX),
    listed: input.listed === true,
  };
}

/** A join request's note to the owner: optional, at most CONVERSATION_DESCRIPTION_MAX. */
export function cleanRequestMessage(message: string | null | undefined): string {
  return limited(cleanText(message).trim(), 'message', CONVERSATION_DESCRIPTION_MAX);
}

/** A report's reason: required, one line, at most `max`. */
export function cleanReason(reason: string | null | undefined, max: number): string {
  const text = line(reason);
  if (!text) throw new ChatTextRequiredError('reason');
  return limited(text, 'reason', max);
}

/** `@` then a name typed without spaces (the forum's rule): letters, kana, kanji, digits, ・ー and the like. */
const MENTION = /(^|[^\p{L}\p{N}_@])@([\p{L}\p{N}_\u30fc\u30fb\u3005-]{1,30})/gu;
/** http(s) links up to the first character a URL cannot hold unescaped (Japanese text often follows without a space). */
const URL = /https?:\/\/[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+/g;
const TRAILING = /[.,;:!?'"\]]$/;

/** The names written after @ in a message, each once (at most 10). */
export function messageMentionHandles(body: string): string[] {
  const handles = new Set<string>();
  for (const part of body.split(URL)) {
    for (const m of part.matchAll(MENTION)) {
      handles.add(m[2]);
      if (handles.size >= 10) return [...handles];
    }
  }
  return [...handles];
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Text with its resolved @mentions as profile links and line breaks as <br>. */
function textHtml(text: string, mentions: ReadonlyMap<string, string>): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(MENTION)) {
    const memberId = mentions.get(m[2]);
    if (!memberId) continue;
    const at = m.index! + m[1].length;
    out += escapeHtml(text.slice(last, at)) + `<a class="mention" href="/members/${escapeHtml(memberId)}">@${escapeHtml(m[2])}</a>`;
    last = at + 1 + m[2].length;
  }
  out += escapeHtml(text.slice(last));
  return out.replace(/\n/g, '<br>');
}

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['a', 'br'],
  allowedAttributes: { a: ['href', 'rel', 'target', 'class'] },
  allowedClasses: { a: ['mention'] },
  allowedSchemes: ['http', 'https'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
};

/**
 * The message's HTML: the text escaped, http(s) links as links (rel="nofollow ugc noopener", a new tab), resolved
 * @mentions (handle → member id) as links to the profile, line breaks as <br>. Built from escaped pieces and passed
 * through an allow-list sanitiser besides (only <a> and <br>).
 */
export function renderMessage(body: string, mentions: ReadonlyMap<string, string> = new Map()): string {
  let html = '';
  let last = 0;
  for (const m of body.matchAll(URL)) {
    // A link ends before trailing punctuation, and before a ")" it did not open.
    let url = m[0];
    const unbalanced = (u: string) => u.endsWith(')') && (u.match(/\(/g)?.length ?? 0) < (u.match(/\)/g)?.length ?? 0);
    while (TRAILING.test(url) || unbalanced(url)) url = url.slice(0, -1);
    if (url.length <= 'https://'.length) continue;
    html += textHtml(body.slice(last, m.index), mentions);
    html += `<a href="${escapeHtml(url)}" rel="nofollow ugc noopener" target="_blank">${escapeHtml(url)}</a>`;
    last = m.index! + url.length;
  }
  html += textHtml(body.slice(last), mentions);
  return sanitizeHtml(html, SANITIZE);
}

/** Search keys of a message (libs/search: bigrams of the folded text, and the folded text for the recheck). */
export function messageSearchKeys(body: string): { tokens: string[]; text: string } {
  return { tokens: bigramTokens(body), text: searchText(body) };
}

/** The message as one line of plain text, at most `max` characters (with … when cut): list previews and notices. */
export function messageExcerpt(body: string, max: number): string {
  const text = body.replace(/\s+/g, ' ').trim();
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** A group name folded for the group list's filter. */
export function groupNameKey(name: string): string {
  return normalizeForSearch(name);
}
