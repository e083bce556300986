import { DomainError, TooManyRequestsError } from '@libs/ddd';
import { parseHistory, parseRead, parseSend, parseSubscribe, parseTyping, socketError, SocketEventError, SUBSCRIBE_MAX } from './socket-events';

const ID = '0192f1a4-7c3e-7b2a-9d4e-5f6a7b8c9d0e';

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
    return undefined;
  } catch (e) {
    return e instanceof SocketEventError ? e.code : 'other';
  }
}

describe('socket payloads', () => {
  it('subscribe: conversation id → last seq held', () => {
    expect([...parseSubscribe({ conversations: { [ID.toUpperCase()]: 3 } })]).toEqual([[ID, 3]]);
    expect(parseSubscribe(undefined).size).toBe(0);
    expect(codeOf(() => parseSubscribe({ conversations: { [ID]: -1 } }))).toBe('invalid');
    expect(codeOf(() => parseSubscribe({ conversations: { [ID]: 1.5 } }))).toBe('invalid');
    expect(codeOf(() => parseSubscribe({ conversations: [ID] }))).toBe('invalid');
    const many = Object.fromEntries(Array.from({ length: SUBSCRIBE_MAX + 1 }, (_, i) => [`x${i}`, 0]));
    expect(codeOf(() => parseSubscribe({ conversations: many }))).toBe('invalid');
  });

  it('message:send needs an id, a clientId and a body', () => {
    expect(parseSend({ conversationId: ID, clientId: 'c-1', body: 'こんにちは' })).toEqual({ conversationId: ID, clientId: 'c-1', body: 'こんにちは' });
    expect(codeOf(() => parseSend({ conversationId: ID, clientId: 1, body: 'x' }))).toBe('invalid');
    expect(codeOf(() => parseSend({ conversationId: 'not-a-uuid', clientId: 'c', body: 'x' }))).toBe('not-found');
    expect(codeOf(() => parseSend('text'))).toBe('invalid');
  });

  it('history takes before or after, not both; read a seq; typing an id', () => {
    expect(parseHistory({ conversationId: ID, after: 10 })).toEqual({ conversationId: ID, page: { after: 10, before: undefined, limit: undefined } });
    expect(codeOf(() => parseHistory({ conversationId: ID, after: 1, before: 5 }))).toBe('invalid');
    expect(codeOf(() => parseHistory({ conversationId: ID, limit: 500 }))).toBe('invalid');
    expect(parseRead({ conversationId: ID, seq: 4 })).toEqual({ conversationId: ID, seq: 4 });
    expect(codeOf(() => parseRead({ conversationId: ID }))).toBe('invalid');
    expect(parseTyping({ conversationId: ID })).toEqual({ conversationId: ID });
  });
});

describe('socketError', () => {
  it("answers a DomainError's code by status, its text in the viewer's language", () => {
    const { error, expected } = socketError(new DomainError('errors.forbidden.message', { status: 403 }), 'en');
    expect(expected).toBe(true);
    expect(error.code).toBe('forbidden');
    expect(error.key).toBe('errors.forbidden.message');
    expect(error.message).not.toBe('errors.forbidden.message');
  });

  it('rate limits and unknown failures have their own codes and texts', () => {
    expect(socketError(new TooManyRequestsError(5), 'ja').error).toMatchObject({ code: 'rate-limited', message: expect.stringContaining('送信が多すぎます') });
    expect(socketError(new TooManyRequestsError(5), 'en').error.message).toContain('too many messages');
    const unknown = socketError(new Error('boom'), 'en');
    expect(unknown.expected).toBe(false);
    expect(unknown.error).toMatchObject({ code: 'server-error', message: 'That could not be done right now. Please try again.' });
  });
});
