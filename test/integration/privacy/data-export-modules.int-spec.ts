import type { IntegrationEvent } from '@libs/outbox/integration-event';
import { IntegrationEventsProcessor } from '@libs/outbox/integration-events.processor';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { OutboxWorkerModule } from '@libs/outbox/outbox.module';
import { MailWorkerModule } from '@libs/mail/mail.module';
import { QueueModule } from '@libs/queue/queue.module';
import { CommentOnContentCommand, LikeContentCommand, UpdateContentCommand } from '@modules/content/contracts';
import { ContentModule } from '@modules/content/content.module';
import { EventsModule } from '@modules/events/events.module';
import { MembershipModule } from '@modules/membership/membership.module';
import { ModerationModule } from '@modules/moderation/moderation.module';
import { BlockMemberCommand, EditPostCommand, OpenDirectConversationCommand, ReactToPostCommand } from '@modules/networking/contracts';
import { NetworkingModule } from '@modules/networking/networking.module';
import { RequestDataExportCommand } from '@modules/privacy/contracts';
import { DataExport } from '@modules/privacy/domain/data-export.entity';
import { PrivacyModule } from '@modules/privacy/privacy.module';
import { sendMessage } from '../../factories/chat.factory';
import { buildDraft, buildPublished } from '../../factories/content.factory';
import { buildBoard, buildThread } from '../../factories/forum.factory';
import { buildMember, type BuiltMember } from '../../factories/member.factory';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';

process.env.KIZUNA_CONTENT_SCHEDULERS = 'off';

interface Exported {
  forum: { threadsStarted: { title: string }[]; posts: { body: string; earlierVersions: { body: string }[] }[]; reactionsGiven: { kind: string }[] };
  chat: { conversations: { kind: string; withMemberId: string | null }[]; messages: { body: string }[]; blocked: { memberId: string }[]; dmPolicy: string };
  content: { items: { versions: { title: string; body: string }[] }[]; comments: { body: string }[]; likes: { contentId: string }[] };
}

/** The personal-data export gathers every module's registered section: forum, chat and content. */
describe('data download with what the member wrote in the forum, chat and content', () => {
  let h: ModuleHarness;
  let events: IntegrationEventsProcessor;
  let alice: BuiltMember;
  let bob: BuiltMember;
  let operator: BuiltMember;

  beforeAll(async () => {
    h = await bootModules([MembershipModule, PrivacyModule, NetworkingModule, ContentModule, EventsModule, ModerationModule, OutboxWorkerModule, MailWorkerModule, QueueModule]);
    events = h.app.get(IntegrationEventsProcessor);
    await resetDatabase(h.em);
    alice = await buildMember(h.em.fork(), { status: 'alumni', familyName: '山田', givenName: '花子' });
    bob = await buildMember(h.em.fork(), { status: 'employee', familyName: '佐藤', givenName: '健' });
    operator = await buildMember(h.em.fork(), { status: 'employee', role: 'operator' });
  });
  afterAll(() => h.close());

  async function exportOf(member: BuiltMember): Promise<Exported> {
    const { exportId } = await h.command(new RequestDataExportCommand(member.member.id));
    const rows = await h.fresh((em) => em.find(OutboxMessage, { name: 'privacy.data-export-requested' }));
    for (const row of rows) if ((row.payload as { exportId?: string }).exportId === exportId) await events.dispatch(row.payload as unknown as IntegrationEvent);
    const done = await h.fresh((em) => em.findOneOrFail(DataExport, { id: exportId }, { populate: ['content'] }));
    expect(done.state).toBe('ready');
    return done.content as unknown as Exported;
  }

  it("holds the member's own posts (with earlier versions), reactions, messages, blocks, articles (every version), comments and likes — and nothing of others'", async () => {
    const board = await buildBoard(h.command, operator.viewer);
    const { postId } = await buildThread(h.command, board, alice.viewer, { title: '同窓会の相談', body: '来年の同窓会について', replies: [{ by: bob.viewer, body: '佐藤の返信' }] });
    await h.command(new EditPostCommand(alice.viewer, postId, '来年の同窓会について（日程を追記）'));
    await h.command(new ReactToPostCommand(bob.viewer, postId, 'like', true));
    const dm = (await h.command(new OpenDirectConversationCommand(alice.viewer, bob.member.id))).conversationId;
    await sendMessage(h.command, alice.viewer, dm, '山田からのメッセージ');
    await sendMessage(h.command, bob.viewer, dm, '佐藤からのメッセージ');
    await h.command(new BlockMemberCommand(alice.viewer, operator.member.id, true));
    const draft = await buildDraft(h.command, alice.viewer, { title: '最初の題', body: '下書きの本文' });
    await h.command(new UpdateContentCommand(alice.viewer, draft, { title: '直した題' }));
    const bobs = await buildPublished(h.command, bob.viewer, operator.viewer, { title: '佐藤の記事', body: '佐藤の本文' });
    await h.command(new CommentOnContentCommand(alice.viewer, bobs, '山田のコメント'));
    await h.command(new LikeContentCommand(alice.viewer, bobs, true));

    const mine = await exportOf(alice);
    expect(mine.forum.threadsStarted.map((t) => t.title)).toEqual(['同窓会の相談']);
    expect(mine.forum.posts.map((p) => p.body)).toEqual(['来年の同窓会について（日程を追記）']);
    expect(mine.forum.posts[0].earlierVersions.map((v) => v.body)).toEqual(['来年の同窓会について']);
    expect(mine.forum.reactionsGiven).toEqual([]);
    expect(mine.chat.messages.map((m) => m.body)).toEqual(['山田からのメッセージ']);
    expect(mine.chat.conversations).toEqual([expect.objectContaining({ kind: 'dm', withMemberId: bob.member.id })]);
    expect(mine.chat.blocked.map((b) => b.memberId)).toEqual([operator.member.id]);
    expect(mine.content.items).toHaveLength(1);
    expect(mine.content.items[0].versions.map((v) => v.title)).toEqual(['最初の題', '直した題']);
    expect(mine.content.comments.map((c) => c.body)).toEqual(['山田のコメント']);
    expect(mine.content.likes).toEqual([expect.objectContaining({ contentId: bobs })]);
    expect(JSON.stringify(mine)).not.toContain('佐藤からのメッセージ');
    expect(JSON.stringify(mine)).not.toContain('佐藤の返信');
    expect(JSON.stringify(mine)).not.toContain('佐藤の本文');

    const his = await exportOf(bob);
    expect(his.forum.posts.map((p) => p.body)).toEqual(['佐藤の返信']);
    expect(his.forum.reactionsGiven.map((r) => r.kind)).toEqual(['like']);
    expect(his.chat.messages.map((m) => m.body)).toEqual(['佐藤からのメッセージ']);
    expect(his.chat.blocked).toEqual([]);
    expect(his.content.items[0].versions.at(-1)?.body).toBe('佐藤の本文');
    expect(his.content.comments).toEqual([]);
  });
});
