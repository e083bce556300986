import { renderMarkdown } from '@libs/markdown/markdown';
import { bigramTokens, normalizeForSearch, searchText } from '@libs/search/japanese-text';
import { hasControlCharacters } from '@libs/web/control-characters';
import {
  BODY_MAX,
  COMMENT_MAX,
  CONTENT_LANGUAGES,
  CONTENT_TYPES,
  CONTENT_VISIBILITIES,
  READING_CHARS_PER_MINUTE,
  SUMMARY_MAX,
  TAG_MAX,
  TAGS_MAX,
  TITLE_MAX,
  type ContentInput,
  type ContentLanguage,
  type ContentType,
  type ContentVisibility,
} from '../contracts/content';
import { ContentFieldError } from './content.errors';

/**
 * What an item's text is made of once checked: the fields as typed (trimmed, newlines normalised), tags deduplicated
 * by their folded key, and what is derived from them (HTML, reading time, search keys).
 */

/** The images an article's Markdown may show: this site's own content images, in the article's two widths. */
export const CONTENT_IMAGE_SRC = /\/content\/images\/[0-9a-f]{32}\/(?:960|full)/;
/** The renditions of a content image the site serves (cover: card, og, 960, full; body picture: 960, 320, full). */
export const CONTENT_IMAGE_VARIANTS = ['full', '960', '320', 'og', 'card'] as const;
export const contentImagePath = (imageId: string, variant: string) => `/content/images/${imageId}/${variant}`;
/** At most this many pictures in one item's body. */
export const BODY_IMAGES_MAX = 20;
export const COVER_ALT_MAX = 200;
/** Reading speed of English text (words a minute). */
export const READING_WORDS_PER_MINUTE = 230;

/** A version's content: everything the editor edits. */
export interface ContentFields {
  type: ContentType;
  visibility: ContentVisibility;
  language: ContentLanguage;
  title: string;
  summary: string;
  body: string;
  tags: string[];
  eventId: string | null;
  coverImageId: string | null;
  coverAlt: string;
}

/** The fields a version is compared on for its history (`changed`). */
export const CONTENT_FIELD_NAMES = ['type', 'visibility', 'language', 'title', 'summary', 'body', 'tags', 'eventId', 'coverImageId', 'coverAlt'] as const satisfies readonly (keyof ContentFields)[];

const oneOf = <T extends string>(list: readonly T[], value: unknown, field: string): T => {
  if (typeof value !== 'string' || !(list as readonly string[]).includes(value)) throw new ContentFieldError(field, 'invalid');
  return value as T;
};

const length = (s: string) => [...s].length;

function text(value: unknown, field: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') throw new ContentFieldError(field, 'invalid');
  if (hasControlCharacters(value)) throw new ContentFieldError(field, 'invalid');
  return value.replace(/\r\n?/g, '\n');
}

/** A one-line text: newlines, tabs and runs of ASCII spaces become one space (a full-width space stays), trimmed. */
function line(value: unknown, field: string, max: number, required = false): string {
  const t = text(value, field).replace(/[ \t\n\v\f]+/g, ' ').trim();
  if (required && !t) throw new ContentFieldError(field, 'required');
  if (length(t) > max) throw new ContentFieldError(field, 'tooLong', { max });
  return t;
}

/** A multi-line text: leading blank lines and trailing spaces dropped, the rest as typed. */
function block(value: unknown, field: string, max: number): string {
  const t = text(value, field).replace(/^\s*\n/, '').replace(/\s+$/u, '');
  if (!t.trim()) return '';
  if (length(t) > max) throw new ContentFieldError(field, 'tooLong', { max });
  return t;
}

/** Tags as typed (trimmed, spaces collapsed, a leading # dropped), each once by its folded key. */
export function cleanTags(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new ContentFieldError('tags', 'invalid');
  const out = new Map<string, string>();
  for (const raw of value) {
    const tag = line(raw, 'tags', Number.MAX_SAFE_INTEGER).replace(/^[#＃]+\s*/u, '');
    if (!tag) continue;
    if (length(tag) > TAG_MAX) throw new ContentFieldError('tags', 'tooLong', { max: TAG_MAX });
    const key = tagKey(tag);
    if (key && !out.has(key)) out.set(key, tag);
  }
  if (out.size > TAGS_MAX) throw new ContentFieldError('tags', 'tooMany', { max: TAGS_MAX });
  return [...out.values()];
}

/** The folded key a tag is matched by (ＤＸ, dx and Dx are one tag). */
export const tagKey = (tag: string) => normalizeForSearch(tag);

/**
 * Checks an editor's input over `base` (an update is partial: fields left undefined keep the base's value). Throws
 * ContentFieldError naming the field. The event (event reports only) and the cover image are checked by the caller,
 * which can ask other modules; here only their shape.
 */
export function cleanContentInput(input: Partial<ContentInput>, base?: ContentFields): ContentFields {
  const pick = <K extends keyof ContentInput>(key: K): ContentInput[K] | undefined => (input[key] !== undefined ? input[key] : (base as Partial<ContentInput> | undefined)?.[key]);
  const type = oneOf(CONTENT_TYPES, pick('type'), 'type');
  const visibility = oneOf(CONTENT_VISIBILITIES, pick('visibility'), 'visibility');
  const language = oneOf(CONTENT_LANGUAGES, pick('language') ?? 'ja', 'language');
  const title = line(pick('title'), 'title', TITLE_MAX, true);
  const summary = line(pick('summary'), 'summary', SUMMARY_MAX);
  const body = block(pick('body'), 'body', BODY_MAX);
  const tags = cleanTags(input.tags !== undefined ? input.tags : base?.tags);
  let eventId: string | null = input.eventId !== undefined ? input.eventId : (base?.eventId ?? null);
  if (eventId === '') eventId = null;
  if (eventId !== null && typeof eventId !== 'string') throw new ContentFieldError('eventId', 'invalid');
  if (type !== 'event-report' && eventId !== null) {
    // An explicit link on another type is refused; a link kept from the base when the type changes is dropped.
    if (input.eventId) throw new ContentFieldError('eventId', 'eventOnlyForReports');
    eventId = null;
  }
  if (type === 'event-report' && eventId === null) throw new ContentFieldError('eventId', 'required');
  let coverImageId: string | null = input.coverImageId !== undefined ? input.coverImageId : (base?.coverImageId ?? null);
  if (coverImageId === '') coverImageId = null;
  if (coverImageId !== null && (typeof coverImageId !== 'string' || !/^[0-9a-f]{32}$/.test(coverImageId))) throw new ContentFieldError('coverImageId', 'invalid');
  const coverAlt = coverImageId === null ? '' : line(input.coverAlt !== undefined ? input.coverAlt : base?.coverAlt, 'coverAlt', COVER_ALT_MAX);
  return { type, visibility, language, title, summary, body, tags, eventId, coverImageId, coverAlt };
}

/** What a submission or a publication needs beyond a draft: a body. */
export function assertComplete(fields: ContentFields): void {
  if (!fields.body.trim()) throw new ContentFieldError('body', 'required');
}

/** The fields that differ between two versions (all of them for the first). */
export function changedFields(before: ContentFields | null, after: ContentFields): string[] {
  if (!before) return [...CONTENT_FIELD_NAMES];
  return CONTENT_FIELD_NAMES.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
}

/** The article's HTML: members' Markdown, sanitised, with this site's content images only. */
export function renderContentBody(body: string): string {
  return renderMarkdown(body, { userContent: true, imageSrc: CONTENT_IMAGE_SRC });
}

/** A comment's HTML: members' Markdown, sanitised, no images (an image's Markdown is shown as text, as in the forum). */
export function renderComment(body: string): string {
  return renderMarkdown(body, { userContent: true });
}

/** Plain text of Markdown, for reading time, search keys, excerpts and feeds. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[^\n]*\n([\s\S]*?)(```|$)/g, ' $1 ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]*>/g, ' ')
    .replace(/[*_`>#~|]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]/gu;

/**
 * 読了時間 in whole minutes, at least 1: Japanese text at READING_CHARS_PER_MINUTE characters a minute (the words in
 * Latin letters among it at the English speed), English at 230 words a minute.
 */
export function readingMinutes(body: string, language: ContentLanguage): number {
  const plain = plainText(body);
  if (!plain) return 1;
  let minutes: number;
  if (language === 'ja') {
    const cjk = plain.match(CJK)?.length ?? 0;
    const rest = plain.replace(CJK, ' ');
    const words = rest.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
    minutes = cjk / READING_CHARS_PER_MINUTE + words / READING_WORDS_PER_MINUTE;
  } else {
    minutes = plain.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length / READING_WORDS_PER_MINUTE;
  }
  return Math.max(1, Math.ceil(minutes));
}

/** Search keys of a version: bigrams of the folded title, summary and body text, and the folded text for the recheck. */
export function contentSearchKeys(fields: Pick<ContentFields, 'title' | 'summary' | 'body'>): { tokens: string[]; text: string } {
  const body = plainText(fields.body);
  return { tokens: bigramTokens(fields.title, fields.summary, body), text: searchText(fields.title, fields.summary, body) };
}

/** A comment's body as typed (trimmed at both ends), checked. */
export function cleanComment(body: unknown): string {
  const t = block(body, 'body', Number.MAX_SAFE_INTEGER).trim();
  if (!t) throw new ContentFieldError('body', 'required');
  if (length(t) > COMMENT_MAX) throw new ContentFieldError('body', 'tooLong', { max: COMMENT_MAX });
  return t;
}

/** An operator's comment when returning or declining (required when returning). */
export function cleanReviewComment(comment: unknown, max: number, required: boolean): string {
  const t = block(comment, 'comment', Number.MAX_SAFE_INTEGER);
  if (required && !t) throw new ContentFieldError('comment', 'required');
  if (length(t) > max) throw new ContentFieldError('comment', 'tooLong', { max });
  return t;
}

/** About `max` characters of plain text, cut at a character boundary with … */
export function excerpt(markdown: string, max = 140): string {
  const chars = [...plainText(markdown)];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max).join('')}…`;
}
