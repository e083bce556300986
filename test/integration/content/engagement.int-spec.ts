import type { IntegrationEvent } from '@libs/outbox/integration-event';
import { IntegrationEventsProcessor } from '@libs/outbox/integration-events.processor';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { OutboxWorkerModule } from '@libs/outbox/outbox.module';
import { QueueModule } from '@libs/queue/queue.module';
import { RedisConnections } from '@libs/queue/redis-connections';
import {
  CommentOnContentCommand,
  ContentEvents,
  DeleteContentCommentCommand,
  GetCommentNoticeQuery,
  GetContentFiguresQuery,
  GetContentLikesSinceQuery,
  GetContentNoticeQuery,
  GetContentQuery,
  LIKES_WINDOW_MS,
  LikeContentCommand,
  ListContentCommentsQuery,
  RecordContentViewCommand,
  ReportContentCommentCommand,
} from '@modules/content/contracts';
import { ContentModule } from '@modules/content/content.module';
import { contentViewsKey, FlushContentViewsCommand, VIEWS_TAKEN_STALE_MS } from '@modules/content/application/views.handlers';
import { zonedDate } from '@libs/calendar/zoned-time';
import { EventsModule } from '@modules/events/events.module';
import { MembershipModule } from '@modules/membership/membership.module';
import { DecideModerationCommand, ListModerationQueueQuery } from '@modules/moderation/contracts';
import { ModerationModule } from '@modules/moderation/moderation.module';
import { PrivacyModule } from '@modules/privacy/privacy.module';
import { buildDraft, buildPublished } from '../../factories/content.factory';
import { buildMember, type BuiltMember } from '../../factories/member.factory';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';

process.env.KIZUNA_CONTENT_SCHEDULERS = 'off';

describe('content likes, comments, reports and views (PostgreSQL and Redis)', () => {
  let h: ModuleHarness;
  let redis: RedisConnections;
  let operator: BuiltMember;
  let alice: BuiltMember;
  let bob: BuiltMember;
  let carol: BuiltMember;
  let dave: BuiltMember;

  beforeAll(async () => {
    h = await bootModules([ContentModule, MembershipModule, EventsModule, PrivacyModule, ModerationModule, OutboxWorkerModule, QueueModule]);
    redis = h.app.get(RedisConnections);
  });
  beforeEach(async () => {
    await resetDatabase(h.em);
    await redis.client.del(contentViewsKey(redis.prefix));
    operator = await buildMember(h.em.fork(), { status: 'employee', role: 'operator', familyName: '運営', givenName: '花子' });
    alice = await buildMember(h.em.fork(), { status: 'alumni', familyName: '山田', givenName: '太郎' });
    bob = await buildMember(h.em.fork(), { status: 'employee', familyName: '佐藤', givenName: '健' });
    carol = await buildMember(h.em.fork(), { status: 'alumni', familyName: '髙橋', givenName: '葵' });
    dave = await buildMember(h.em.fork(), { status: 'employee', familyName: '鈴木', givenName: '一郎' });
  });
  afterAll(() => h.close());

  const outbox = (name: string) => h.fresh((em) => em.find(OutboxMessage, { name }, { orderBy: { createdAt: 'asc' } }));

  it('counts one like per member, refuses one\'s own and unpublished items, and batches the author\'s notice per window', async () => {
    const id = await buildPublished(h.command, alice.viewer, operator.viewer);
    expect(await h.command(new LikeContentCommand(bob.viewer, id, true))).toEqual({ likes: 1, liked: true });
    expect(await h.command(new LikeContentCommand(bob.viewer, id, true))).toEqual({ likes: 1, liked: true });
    expect(await h.command(new LikeContentCommand(carol.viewer, id, true))).toEqual({ likes: 2, liked: true });
    await Promise.all([dave, operator].map((m) => h.command(new LikeContentCommand(m.viewer, id, true))));
    expect(await h.command(new LikeContentCommand(dave.viewer, id, false))).toEqual({ likes: 3, liked: false });
    expect(await h.command(new LikeContentCommand(dave.viewer, id, false))).toEqual({ likes: 3, liked: false });
    await expect(h.command(new LikeContentCommand(alice.viewer, id, true))).rejects.toMatchObject({ status: 409, code: 'content.errors.ownLike' });
    const view = await h.query(new GetContentQuery(bob.viewer, id, 'ja'));
    expect(view).toMatchObject({ likes: 3, liked: true });
    expect((await h.query(new GetContentQuery(dave.viewer, id, 'ja'))).liked).toBe(false);

    const draft = await buildDraft(h.command, alice.viewer);
    await expect(h.command(new LikeContentCommand(bob.viewer, draft, true))).rejects.toMatchObject({ status: 404 });
    await expect(h.command(new LikeContentCommand(operator.viewer, draft, true))).rejects.toMatchObject({ status: 409 });

    // Likes in one ten-minute window make one pending event, delivered when the window ends (two, should the test
    // run across a window's end: between them they count every like).
    const batched = await outbox(ContentEvents.likesBatched);
    expect(batched.length === 1 || batched.length === 2).toBe(true);
    let counted = 0;
    for (const row of batched) {
      const payload = row.payload as { contentId: string; windowStart: string; windowEnd: string; eventId: string };
      expect(payload.contentId).toBe(id);
      expect(new Date(payload.windowEnd).getTime() - new Date(payload.windowStart).getTime()).toBe(LIKES_WINDOW_MS);
      expect(new Date(payload.windowStart).getTime() % LIKES_WINDOW_MS).toBe(0);
      expect(row.runAt?.toISOString()).toBe(payload.windowEnd);
      expect(row.jobId).toBe(`evt-${payload.eventId}`);
      const since = await h.query(new GetContentLikesSinceQuery(id, new Date(payload.windowStart), new Date(payload.windowEnd)));
      if (batched.length === 1) expect(since).toEqual({ contentId: id, authorId: alice.member.id, title: view.title, count: 3, link: `/content/${id}` });
      counted += since?.count ?? 0;
    }
    expect(counted).toBe(3);
    expect(await h.query(new GetContentNoticeQuery(id))).toEqual({ id, title: view.title, authorId: alice.member.id, status: 'published', scheduledAt: null, link: `/content/${id}` });
  });

  it('takes comments and one level of replies, tells the right people, deletes in place, and rate-limits', async () => {
    const id = await buildPublished(h.command, alice.viewer, operator.viewer);
    const { commentId: first } = await h.command(new CommentOnContentCommand(bob.viewer, id, '外からの視点、参考になります。\n\n**営業部**でも共有します。'));
    const { commentId: reply } = await h.command(new CommentOnContentCommand(carol.viewer, id, '私も同感です', first));
    await expect(h.command(new CommentOnContentCommand(dave.viewer, id, '返信の返信', reply))).rejects.toMatchObject({ field: 'parentId', code: 'content.errors.parentNotFound' });
    await expect(h.command(new CommentOnContentCommand(dave.viewer, id, '   '))).rejects.toMatchObject({ field: 'body', code: 'content.errors.required' });
    await expect(h.command(new CommentOnContentCommand(dave.viewer, id, 'あ'.repeat(5001)))).rejects.toMatchObject({ field: 'body', code: 'content.errors.tooLong' });
    const other = await buildPublished(h.command, bob.viewer, operator.viewer);
    await expect(h.command(new CommentOnContentCommand(dave.viewer, other, '別の記事への返信', first))).rejects.toMatchObject({ field: 'parentId' });

    let list = await h.query(new ListContentCommentsQuery(dave.viewer, id, 1, 'ja'));
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({ id: first, author: { displayName: '佐藤 健' }, canReply: true, canDelete: false, canReport: true });
    expect(list.items[0].html).toContain('<strong>営業部</strong>');
    expect(list.items[0].replies.map((r) => [r.id, r.canReply])).toEqual([[reply, false]]);
    expect((await h.query(new GetContentQuery(dave.viewer, id, 'ja'))).comments).toBe(2);

    expect(await h.query(new GetCommentNoticeQuery(first))).toMatchObject({ contentId: id, authorId: bob.member.id, authorName: '佐藤 健', recipients: [{ memberId: alice.member.id, reason: 'comment' }] });
    expect((await h.query(new GetCommentNoticeQuery(reply)))?.recipients).toEqual([
      { memberId: bob.member.id, reason: 'reply' },
      { memberId: alice.member.id, reason: 'comment' },
    ]);
    const created = await outbox(ContentEvents.commentCreated);
    expect(created.map((c) => [c.payload.commentId, c.payload.parentId])).toEqual([[first, null], [reply, first]]);

    await expect(h.command(new DeleteContentCommentCommand(dave.viewer, first))).rejects.toMatchObject({ status: 403 });
    await h.command(new DeleteContentCommentCommand(bob.viewer, first));
    list = await h.query(new ListContentCommentsQuery(dave.viewer, id, 1, 'ja'));
    expect(list.items[0]).toMatchObject({ id: first, deleted: true, html: '', canReply: false, canReport: false });
    expect(list.items[0].replies).toHaveLength(1);
    await h.command(new DeleteContentCommentCommand(operator.viewer, reply));
    expect((await h.query(new GetContentQuery(dave.viewer, id, 'ja'))).comments).toBe(0);
    expect(await h.query(new GetCommentNoticeQuery(first))).toBeNull();

    // Someone who cannot see the item cannot comment on it.
    const employeesOnly = await buildPublished(h.command, bob.viewer, operator.viewer, { visibility: 'employees' });
    await expect(h.command(new CommentOnContentCommand(carol.viewer, employeesOnly, 'こんにちは'))).rejects.toMatchObject({ status: 404 });

    // 30 comments in ten minutes per member, then a clear 429.
    for (let i = 0; i < 30; i++) await h.command(new CommentOnContentCommand(dave.viewer, other, `コメント ${i}`));
    await expect(h.command(new CommentOnContentCommand(dave.viewer, other, 'もう一件'))).rejects.toMatchObject({ status: 429 });
  });

  it('reports a comment to the moderation queue, hides it at three reporters, and applies the operator\'s decision', async () => {
    const id = await buildPublished(h.command, alice.viewer, operator.viewer);
    const { commentId } = await h.command(new CommentOnContentCommand(bob.viewer, id, '格安で資格が取れます！ http://spam.example'));
    await expect(h.command(new ReportContentCommentCommand(bob.viewer, commentId, '自分'))).rejects.toMatchObject({ status: 409, code: 'content.errors.ownComment' });
    await expect(h.command(new ReportContentCommentCommand(carol.viewer, commentId, ' '))).rejects.toMatchObject({ field: 'reason' });
    expect((await h.command(new ReportContentCommentCommand(carol.viewer, commentId, '宣伝です'))).hidden).toBe(false);
    expect((await h.command(new ReportContentCommentCommand(dave.viewer, commentId, 'スパム'))).hidden).toBe(false);
    expect((await h.command(new ReportContentCommentCommand(alice.viewer, commentId, '広告'))).hidden).toBe(true);

    const queue = await h.query(new ListModerationQueueQuery(operator.viewer, 1, 'ja'));
    expect(queue.items).toHaveLength(1);
    expect(queue.items[0]).toMatchObject({ subject: { type: 'content-comment', id: commentId }, authorId: bob.member.id, link: `/content/${id}#c-${commentId}`, reporters: 3 });
    let [comment] = (await h.query(new ListContentCommentsQuery(dave.viewer, id, 1, 'ja'))).items;
    expect(comment).toMatchObject({ hidden: true, html: '' });
    expect((await h.query(new ListContentCommentsQuery(operator.viewer, id, 1, 'ja'))).items[0].html).toContain('格安');

    await h.command(new DecideModerationCommand(operator.viewer, { type: 'content-comment', id: commentId }, 'keep', '宣伝ではない'));
    const [decided] = await outbox('moderation.decided');
    await h.app.get(IntegrationEventsProcessor).dispatch(decided.payload as unknown as IntegrationEvent);
    [comment] = (await h.query(new ListContentCommentsQuery(dave.viewer, id, 1, 'ja'))).items;
    expect(comment).toMatchObject({ hidden: false });
    expect(comment.html).toContain('格安');

    await h.command(new DecideModerationCommand(operator.viewer, { type: 'content-comment', id: commentId }, 'hide', '規約違反'));
    const decisions = await outbox('moderation.decided');
    await h.app.get(IntegrationEventsProcessor).dispatch(decisions[1].payload as unknown as IntegrationEvent);
    expect((await h.query(new ListContentCommentsQuery(dave.viewer, id, 1, 'ja'))).items[0]).toMatchObject({ hidden: true, html: '' });
  });

  it('counts a view once per member and day, off the request path, and a second flush counts nothing more', async () => {
    const id = await buildPublished(h.command, alice.viewer, operator.viewer);
    const other = await buildPublished(h.command, alice.viewer, operator.viewer, { title: '別の記事' });
    for (const key of [bob.member.id, bob.member.id, carol.member.id, 'visitor-7f3a']) await h.command(new RecordContentViewCommand(id, key));
    await h.command(new RecordContentViewCommand(other, bob.member.id));
    // The author looking at a draft is not a reader.
    const draft = await buildDraft(h.command, alice.viewer);
    await h.command(new RecordContentViewCommand(draft, alice.member.id));
    // The page wrote nothing to the database.
    expect((await h.query(new GetContentQuery(bob.viewer, id, 'ja'))).views).toBe(0);
    expect(await redis.client.llen(contentViewsKey(redis.prefix))).toBe(6);

    expect(await h.command(new FlushContentViewsCommand())).toEqual({ read: 6, counted: 4 });
    expect((await h.query(new GetContentQuery(bob.viewer, id, 'ja'))).views).toBe(3);
    expect((await h.query(new GetContentQuery(bob.viewer, other, 'ja'))).views).toBe(1);
    expect(await h.command(new FlushContentViewsCommand())).toEqual({ read: 0, counted: 0 });
    // The same views recorded again the same day (a retried job, a reload) count nothing.
    await h.command(new RecordContentViewCommand(id, bob.member.id));
    await h.command(new RecordContentViewCommand(id, 'visitor-7f3a'));
    expect(await h.command(new FlushContentViewsCommand())).toEqual({ read: 2, counted: 0 });
    expect((await h.query(new GetContentQuery(bob.viewer, id, 'ja'))).views).toBe(3);
    // Yesterday's view of the same member was another day.
    await h.fresh((em) => em.execute(`update content.view set day = day - 1 where viewer_key = ?`, [carol.member.id]));
    await h.command(new RecordContentViewCommand(id, carol.member.id));
    expect(await h.command(new FlushContentViewsCommand())).toEqual({ read: 1, counted: 1 });

    const figures = await h.query(new GetContentFiguresQuery(operator.viewer, 2));
    expect(figures.items.map((i) => [i.id, i.views])).toEqual([[id, 4], [other, 1]]);
    expect(figures.months).toHaveLength(2);
    expect(figures.months[1].published).toBe(2);
    expect(figures.months[0].views + figures.months[1].views).toBe(5);
    await expect(h.query(new GetContentFiguresQuery(bob.viewer))).rejects.toMatchObject({ status: 403 });
  });

  it('loses no view when a flush dies between taking a batch and the database, and counts none twice when it is taken again', async () => {
    const id = await buildPublished(h.command, alice.viewer, operator.viewer, { title: '途中で止まった集計' });
    const key = contentViewsKey(redis.prefix);
    for (const viewer of [bob.member.id, carol.member.id]) await h.command(new RecordContentViewCommand(id, viewer));
    // A worker took these two into its own list, then died before its insert (the list is what it leaves behind):
    // a minute and more ago, and a moment ago (still someone's, so not taken yet).
    const stale = `${key}:taking:${Date.now() - VIEWS_TAKEN_STALE_MS - 1000}:dead-worker`;
    const fresh = `${key}:taking:${Date.now()}:busy-worker`;
    await redis.client.rpush(stale, ...(await redis.client.lrange(key, 0, -1)));
    await redis.client.del(key);
    await redis.client.rpush(fresh, JSON.stringify({ c: id, v: 'visitor-busy', d: zonedDate(new Date(), 'Asia/Tokyo') }));
    await h.command(new RecordContentViewCommand(id, bob.member.id));

    // The stale batch and the new view: Bob once, Carol once; the busy worker's batch is left to it.
    expect(await h.command(new FlushContentViewsCommand())).toEqual({ read: 3, counted: 2 });
    expect((await h.query(new GetContentQuery(bob.viewer, id, 'ja'))).views).toBe(2);
    expect(await redis.client.exists(stale)).toBe(0);
    expect(await redis.client.llen(fresh)).toBe(1);
    // The dead worker had in fact written its batch before it died: taken again, it counts nothing twice.
    await redis.client.rpush(`${key}:taking:${Date.now() - VIEWS_TAKEN_STALE_MS - 1000}:wrote-then-died`, JSON.stringify({ c: id, v: bob.member.id, d: zonedDate(new Date(), 'Asia/Tokyo') }));
    expect(await h.command(new FlushContentViewsCommand())).toEqual({ read: 1, counted: 0 });
    expect((await h.query(new GetContentQuery(bob.viewer, id, 'ja'))).views).toBe(2);
    // A malformed entry (a day that does not exist) is dropped, not left to fail its batch at every run.
    await redis.client.rpush(key, JSON.stringify({ c: id, v: 'visitor-bad', d: '2026-13-45' }), 'not json');
    await h.command(new RecordContentViewCommand(id, 'visitor-good'));
    expect(await h.command(new FlushContentViewsCommand())).toEqual({ read: 3, counted: 1 });
    // Nothing is left over once the work is done.
    expect(await redis.client.llen(key)).toBe(0);
    await redis.client.del(fresh);
  });
});
