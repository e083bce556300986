import type { ChatFanoutSink } from '../application/chat-fanout';
import type { MessageView } from '../contracts';
import { chatRelayChannel, playRelayed, RedisRelayChatSink } from './chat-relay';

const message = { id: 'm1', conversationId: 'c1', seq: 3, hidden: true, html: '', body: null } as unknown as MessageView;

function recorder(): ChatFanoutSink & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    calls,
    messageCreated: (m) => calls.push(['messageCreated', m]),
    messageUpdated: (m) => calls.push(['messageUpdated', m]),
    readMoved: (c, m, s) => calls.push(['readMoved', c, m, s]),
    membershipChanged: (c, m, j) => calls.push(['membershipChanged', c, m, j]),
    conversationChanged: (c) => calls.push(['conversationChanged', c]),
  };
}

describe('the chat relay (worker → web processes)', () => {
  it('plays on the far side exactly the calls made on the near side', async () => {
    const published: string[] = [];
    const near = new RedisRelayChatSink(async (payload) => published.push(payload));
    near.messageUpdated(message);
    near.messageCreated(message);
    near.readMoved('c1', 'u1', 7);
    near.membershipChanged('c1', 'u1', false);
    near.conversationChanged('c1');
    const far = recorder();
    for (const p of published) expect(playRelayed(far, p)).toBe(true);
    expect(far.calls).toEqual([
      ['messageUpdated', message],
      ['messageCreated', message],
      ['readMoved', 'c1', 'u1', 7],
      ['membershipChanged', 'c1', 'u1', false],
      ['conversationChanged', 'c1'],
    ]);
  });

  it('drops anything malformed without calling the sink', () => {
    const far = recorder();
    for (const raw of ['', 'not json', 'null', '{"op":"disconnectAll","args":[]}', '{"op":"readMoved","args":["c1","u1","7"]}', '{"op":"messageUpdated","args":[{}]}', '{"op":"membershipChanged","args":["c1","u1","yes"]}', '{"op":"conversationChanged"}']) {
      expect(playRelayed(far, raw)).toBe(false);
    }
    expect(far.calls).toEqual([]);
  });

  it('a publish that fails is reported, not thrown', async () => {
    const errors: unknown[] = [];
    const near = new RedisRelayChatSink(() => Promise.reject(new Error('redis away')), (e) => errors.push(e));
    expect(() => near.conversationChanged('c1')).not.toThrow();
    await new Promise((r) => setImmediate(r));
    expect(errors).toHaveLength(1);
    expect(chatRelayChannel('kizuna')).toBe('kizuna:chat:relay');
  });
});
