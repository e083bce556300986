import { IntegrationEventsProcessor } from '@libs/outbox/integration-events.processor';
import type { IntegrationEvent } from '@libs/outbox/integration-event';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { OutboxWorkerModule } from '@libs/outbox/outbox.module';
import { QueueModule } from '@libs/queue/queue.module';
import { MembershipModule } from '@modules/membership/membership.module';
import { ModerationModule } from '@modules/moderation/moderation.module';
import { NetworkingModule } from '@modules/networking/networking.module';
import { ReactToPostCommand, ReplyToThreadCommand, WatchThreadCommand } from '@modules/networking/contracts';
import { Notification } from '@modules/notifications/domain/notification.entity';
import { NotificationsModule } from '@modules/notifications/notifications.module';
import { PrivacyModule } from '@modules/privacy/privacy.module';
import { buildBoard, buildThread } from '../../factories/forum.factory';
import { buildMember, type BuiltMember } from '../../factories/member.factory';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';

describe('forum notices through the outbox (PostgreSQL)', () => {
  let h: ModuleHarness;
  let events: IntegrationEventsProcessor;
  let operator: BuiltMember;
  let alice: BuiltMember;
  let bob: BuiltMember;
  let carol: BuiltMember;

  beforeAll(async () => {
    h = await bootModules([MembershipModule, NetworkingModule, ModerationModule, PrivacyModule, NotificationsModule, OutboxWorkerModule, QueueModule]);
    events = h.app.get(IntegrationEventsProcessor);
  });
  beforeEach(async () => {
    await resetDatabase(h.em);
    operator = await buildMember(h.em.fork(), { status: 'employee', role: 'operator' });
    alice = await buildMember(h.em.fork(), { status: 'alumni', familyName: '山田', givenName: '太郎', familyNameKana: 'ヤマダ', givenNameKana: 'タロウ' });
    bob = await buildMember(h.em.fork(), { status: 'employee', familyName: '佐藤', givenName: '健', familyNameKana: 'サトウ', givenNameKana: 'ケン' });
    carol = await buildMember(h.em.fork(), { status: 'alumni', familyName: '鈴木', givenName: '葵', familyNameKana: 'スズキ', givenNameKana: 'アオイ' });
  });
  afterAll(() => h.close());

  /** Delivers every outbox row of `name` not delivered yet, as the worker would (twice: a redelivery adds nothing). */
  const delivered = new Set<string>();
  async function deliver(name: string): Promise<void> {
    const rows = await h.fresh((em) => em.find(OutboxMessage, { name }, { orderBy: { createdAt: 'asc' } }));
    for (const row of rows) {
      if (delivered.has(row.id)) continue;
      delivered.add(row.id);
      await events.dispatch(row.payload as unknown as IntegrationEvent);
      await events.dispatch(row.payload as unknown as IntegrationEvent);
    }
  }
  const notes = (memberId: string) => h.fresh((em) => em.find(Notification, { memberId }, { orderBy: { createdAt: 'asc' } }));

  it('tells the thread starter of a reply once, and mentioned members who may read the board', async () => {
    const boardId = await buildBoard(h.command, operator.viewer);
    const { threadId } = await buildThread(h.command, boardId, alice.viewer, { title: '議事録の話' });
    await h.command(new ReplyToThreadCommand(bob.viewer, threadId, { body: 'いいですね @鈴木葵 さんもどうですか' }));
    await deliver('networking.post-created');
    expect((await notes(alice.member.id)).map((n) => [n.kind, n.params])).toEqual([['forum-reply', { title: '議事録の話', name: '佐藤 健' }]]);
    expect((await notes(carol.member.id)).map((n) => n.kind)).toEqual(['forum-mention']);
    expect(await notes(bob.member.id)).toEqual([]);
    expect((await notes(alice.member.id))[0].link).toMatch(/^\/forum\/p\/[0-9a-f-]{36}$/);
  });

  it('does not tell a member who may not read the board, nor one who muted the thread', async () => {
    const alumniBoard = await buildBoard(h.command, operator.viewer, { visibility: 'alumni', nameJa: 'アルムナイ広場' });
    const { threadId } = await buildThread(h.command, alumniBoard, alice.viewer, { title: '退職後の話' });
    await h.command(new ReplyToThreadCommand(carol.viewer, threadId, { body: '@佐藤健 さんにも聞いてほしい' }));
    await deliver('networking.post-created');
    expect(await notes(bob.member.id)).toEqual([]);
    expect((await notes(alice.member.id)).map((n) => n.kind)).toEqual(['forum-reply']);
    await h.command(new WatchThreadCommand(alice.viewer, threadId, 'muted'));
    await h.command(new ReplyToThreadCommand(carol.viewer, threadId, { body: 'もう一つ' }));
    await deliver('networking.post-created');
    expect(await notes(alice.member.id)).toHaveLength(1);
  });

  it('batches reactions: five in one window make one notice with the count', async () => {
    const boardId = await buildBoard(h.command, operator.viewer);
    const { postId } = await buildThread(h.command, boardId, alice.viewer);
    const dave = await buildMember(h.em.fork(), { status: 'employee' });
    await h.command(new ReactToPostCommand(bob.viewer, postId, 'like', true));
    await h.command(new ReactToPostCommand(bob.viewer, postId, 'tada', true));
    await h.command(new ReactToPostCommand(carol.viewer, postId, 'like', true));
    await h.command(new ReactToPostCommand(dave.viewer, postId, 'heart', true));
    await h.command(new ReactToPostCommand(operator.viewer, postId, 'thanks', true));
    await h.command(new ReactToPostCommand(alice.viewer, postId, 'like', true));
    await deliver('networking.reactions-batched');
    const got = (await notes(alice.member.id)).filter((n) => n.kind === 'forum-reactions');
    expect(got).toHaveLength(1);
    expect(got[0].params).toMatchObject({ count: 5 });
  });
});
