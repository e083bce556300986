import { DomainError, isUuid, TooManyRequestsError } from '@libs/ddd';
import { messageCatalog, type Locale } from '@libs/i18n';
import { MESSAGES_PAGE_SIZE, type MessagePageView, type MessageView } from '../contracts';

/**
 * The socket protocol of chat (docs/chat-realtime.md). Every client→server event takes an acknowledgement callback
 * and answers `{ok: true, …}` or `{ok: false, error}`.
 */
export type SocketErrorCode = 'unauthorized' | 'invalid' | 'not-found' | 'forbidden' | 'conflict' | 'rate-limited' | 'server-error';

export interface SocketError {
  code: SocketErrorCode;
  /** In the socket viewer's language. */
  message: string;
  /** The message key (a DomainError's code), for clients that want to tell cases apart. */
  key: string;
  /** The form field the problem belongs to (`body`, `clientId`), when there is one. */
  field?: string;
}

export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: SocketError };

export type PageAnswer = Ack<MessagePageView>;

export interface SubscribeAnswer {
  /** Every conversation the socket now receives live, with its last seq (including those not asked about). */
  subscribed: { conversationId: string; lastSeq: number }[];
  /** Per conversation asked about: the messages after the seq given (at most BACKFILL_MAX; `more` says ask again with `history`). */
  conversations: Record<string, PageAnswer>;
}

export interface SendAnswer {
  message: MessageView;
  /** false: a resend of a clientId the server already had (the same message again). */
  created: boolean;
}

/** A refusal of the socket layer itself (before or instead of the core). */
export class SocketEventError extends Error {
  constructor(
    readonly code: SocketErrorCode,
    readonly key: string,
    readonly params?: Record<string, string | number>,
  ) {
    super(key);
  }
}

export const invalid = () => new SocketEventError('invalid', 'networking.realtime.errors.invalid');
export const notFound = () => new SocketEventError('not-found', 'networking.realtime.errors.notFound');
export const unauthorized = () => new SocketEventError('unauthorized', 'networking.realtime.errors.unauthorized');

const STATUS_CODES: Record<number, SocketErrorCode> = { 400: 'invalid', 401: 'unauthorized', 403: 'forbidden', 404: 'not-found', 409: 'conflict', 429: 'rate-limited' };

/** The error answer for anything a handler threw; `expected` is false for the ones worth logging. */
export function socketError(e: unknown, locale: Locale): { error: SocketError; expected: boolean } {
  const catalog = messageCatalog();
  if (e instanceof SocketEventError) return { error: { code: e.code, key: e.key, message: catalog.t(locale, e.key, e.params) }, expected: true };
  if (e instanceof TooManyRequestsError) {
    const key = 'networking.realtime.errors.rateLimited';
    return { error: { code: 'rate-limited', key, message: catalog.t(locale, key) }, expected: true };
  }
  if (e instanceof DomainError) {
    const code = STATUS_CODES[e.status] ?? (e.status >= 500 ? 'server-error' : 'invalid');
    return { error: { code, key: e.code, message: catalog.t(locale, e.code, e.params), ...(e.field ? { field: e.field } : {}) }, expected: e.status < 500 };
  }
  const key = 'networking.realtime.errors.server';
  return { error: { code: 'server-error', key, message: catalog.t(locale, key) }, expected: false };
}

// ---- Payloads (whatever a client sends is checked before anything else looks at it) ----

function record(payload: unknown): Record<string, unknown> {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw invalid();
  return payload as Record<string, unknown>;
}

function conversationId(value: unknown): string {
  // Not a uuid: no such conversation (as the pages answer), without asking the database.
  if (typeof value !== 'string') throw invalid();
  if (!isUuid(value)) throw notFound();
  return value.toLowerCase();
}

function seq(value: unknown, optional: true): number | undefined;
function seq(value: unknown, optional?: false): number;
function seq(value: unknown, optional = false): number | undefined {
  if (value === undefined || value === null) {
    if (optional) return undefined;
    throw invalid();
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw invalid();
  return value;
}

/** Most conversations one `subscribe` may name. */
export const SUBSCRIBE_MAX = 1000;

export function parseSubscribe(payload: unknown): Map<string, number> {
  const body = record(payload ?? { conversations: {} });
  const conversations = record(body.conversations ?? {});
  const entries = Object.entries(conversations);
  if (entries.length > SUBSCRIBE_MAX) throw new SocketEventError('invalid', 'networking.realtime.errors.tooManyConversations', { max: SUBSCRIBE_MAX });
  const out = new Map<string, number>();
  for (const [id, last] of entries) {
    if (typeof id !== 'string' || id.length > 64) throw invalid();
    out.set(isUuid(id) ? id.toLowerCase() : id, seq(last));
  }
  return out;
}

export function parseSend(payload: unknown): { conversationId: string; clientId: string; body: string } {
  const body = record(payload);
  if (typeof body.clientId !== 'string' || typeof body.body !== 'string') throw invalid();
  // The core checks the clientId's characters and the body's length; this bounds what reaches it.
  if (body.clientId.length > 200 || body.body.length > 100_000) throw invalid();
  return { conversationId: conversationId(body.conversationId), clientId: body.clientId, body: body.body };
}

export function parseHistory(payload: unknown): { conversationId: string; page: { after?: number; before?: number; limit?: number } } {
  const body = record(payload);
  const after = seq(body.after, true);
  const before = seq(body.before, true);
  const limit = seq(body.limit, true);
  if (after !== undefined && before !== undefined) throw invalid();
  if (limit !== undefined && (limit < 1 || limit > MESSAGES_PAGE_SIZE)) throw invalid();
  return { conversationId: conversationId(body.conversationId), page: { after, before, limit } };
}

export function parseRead(payload: unknown): { conversationId: string; seq: number } {
  const body = record(payload);
  return { conversationId: conversationId(body.conversationId), seq: seq(body.seq) };
}

export function parseTyping(payload: unknown): { conversationId: string } {
  const body = record(payload);
  return { conversationId: conversationId(body.conversationId) };
}
