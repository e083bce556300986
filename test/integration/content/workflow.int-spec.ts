import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { QueueModule } from '@libs/queue/queue.module';
import {
  ContentEvents,
  DeclineContentCommand,
  DiscardContentCommand,
  FeatureContentCommand,
  GetContentHomeQuery,
  GetContentQuery,
  ListContentQuery,
  ListContentRevisionsQuery,
  ListMyContentQuery,
  ListReviewQueueQuery,
  PublishContentCommand,
  ReturnContentCommand,
  SubmitContentCommand,
  UnpublishContentCommand,
  UpdateContentCommand,
  WithdrawContentCommand,
  CreateContentCommand,
} from '@modules/content/contracts';
import { ContentModule } from '@modules/content/content.module';
import { EventsModule } from '@modules/events/events.module';
import { MembershipModule } from '@modules/membership/membership.module';
import { PrivacyModule } from '@modules/privacy/privacy.module';
import { buildDraft, buildPublished, contentInput } from '../../factories/content.factory';
import { buildEvent } from '../../factories/event.factory';
import { buildMember, type BuiltMember } from '../../factories/member.factory';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';

describe('content workflow through the command bus (PostgreSQL)', () => {
  let h: ModuleHarness;
  let operator: BuiltMember;
  let alice: BuiltMember;
  let bob: BuiltMember;

  beforeAll(async () => {
    h = await bootModules([ContentModule, MembershipModule, EventsModule, PrivacyModule, QueueModule]);
  });
  beforeEach(async () => {
    await resetDatabase(h.em);
    operator = await buildMember(h.em.fork(), { status: 'employee', role: 'operator', familyName: '運営', givenName: '花子' });
    alice = await buildMember(h.em.fork(), { status: 'alumni', familyName: '山田', givenName: '太郎' });
    bob = await buildMember(h.em.fork(), { status: 'employee', familyName: '佐藤', givenName: '健' });
  });
  afterAll(() => h.close());

  const item = (id: string) => h.fresh(async (em) => (await em.execute<Record<string, unknown>[]>('select * from content.item where id = ?', [id]))[0]);
  const outbox = (name: string) => h.fresh((em) => em.find(OutboxMessage, { name }, { orderBy: { createdAt: 'asc' } }));
  const audit = () => h.fresh((em) => em.execute<{ detail: { action: string; contentId: string } }[]>(`select detail from privacy.audit_event where action = 'content.moderated' order by occurred_at`));

  it('draft → submit → return with a comment → revise → resubmit → publish, with the author told and every step in the history', async () => {
    const id = await buildDraft(h.command, alice.viewer);
    let view = await h.query(new GetContentQuery(alice.viewer, id, 'ja'));
    expect(view).toMatchObject({ status: 'draft', title: 'アルムナイとして社外から見えた自社の強み', url: `/content/${id}`, canonicalUrl: `http://kizuna.test/content/${id}` });
    expect(view.can).toMatchObject({ edit: true, submit: true, publish: false, discard: true, like: false });
    expect(view.version.html).toContain('<strong>品質へのこだわり</strong>');

    // Nobody else sees a draft; operators do.
    await expect(h.query(new GetContentQuery(bob.viewer, id, 'ja'))).rejects.toMatchObject({ status: 404 });
    await expect(h.query(new GetContentQuery(null, id, 'ja'))).rejects.toMatchObject({ status: 404 });
    expect((await h.query(new GetContentQuery(operator.viewer, id, 'ja'))).can).toMatchObject({ publish: false, return: false, edit: true });

    expect(await h.command(new SubmitContentCommand(alice.viewer, id))).toEqual({ status: 'submitted', revisionStatus: null });
    const queue = await h.query(new ListReviewQueueQuery(operator.viewer, 'ja'));
    expect(queue.waiting.map((c) => c.id)).toEqual([id]);
    expect(queue.waiting[0].author.displayName).toBe('山田 太郎');

    await expect(h.command(new ReturnContentCommand(operator.viewer, id, '  '))).rejects.toMatchObject({ field: 'comment', code: 'content.errors.required' });
    expect(await h.command(new ReturnContentCommand(operator.viewer, id, '冒頭に自己紹介を一文入れてください。'))).toEqual({ status: 'returned', revisionStatus: null });
    view = await h.query(new GetContentQuery(alice.viewer, id, 'ja'));
    expect(view).toMatchObject({ status: 'returned', reviewComment: '冒頭に自己紹介を一文入れてください。' });
    const reviewed = await outbox(ContentEvents.reviewed);
    expect(reviewed.map((r) => r.payload)).toEqual([expect.objectContaining({ contentId: id, authorId: alice.member.id, decision: 'returned', comment: '冒頭に自己紹介を一文入れてください。', revision: false })]);

    await h.command(new UpdateContentCommand(alice.viewer, id, { body: '営業部にいた山田です。\n\n退職してから三年が経ちました。' }));
    await h.command(new SubmitContentCommand(alice.viewer, id));
    const published = await h.command(new PublishContentCommand(operator.viewer, id));
    expect(published).toMatchObject({ status: 'published', scheduledAt: null });
    expect(published.publishedAt).toBeInstanceOf(Date);

    view = await h.query(new GetContentQuery(bob.viewer, id, 'ja'));
    expect(view).toMatchObject({ status: 'published', reviewComment: null, revision: null });
    expect(view.version.body).toContain('営業部にいた山田です。');
    expect(view.can).toMatchObject({ edit: false, like: true, comment: true, publish: false });
    expect((await h.query(new ListContentQuery(bob.viewer, {}, 1, 'ja'))).items.map((c) => c.id)).toEqual([id]);

    expect((await outbox(ContentEvents.published)).map((r) => r.payload)).toEqual([
      expect.objectContaining({ contentId: id, contentType: 'column', visibility: 'members', authorId: alice.member.id, revision: false }),
    ]);
    expect((await outbox(ContentEvents.reviewed)).map((r) => (r.payload as { decision: string }).decision)).toEqual(['returned', 'published']);

    const history = await h.query(new ListContentRevisionsQuery(alice.viewer, id, 'ja'));
    expect(history.map((r) => [r.action, r.byName])).toEqual([
      ['publish', '運営 花子'],
      ['submit', '山田 太郎'],
      ['edit', '山田 太郎'],
      ['return', '運営 花子'],
      ['submit', '山田 太郎'],
      ['create', '山田 太郎'],
    ]);
    expect(history[2].changed).toEqual(['body']);
    expect(history[3].comment).toBe('冒頭に自己紹介を一文入れてください。');
    await expect(h.query(new ListContentRevisionsQuery(bob.viewer, id, 'ja'))).rejects.toMatchObject({ status: 403 });
    expect((await audit()).map((a) => a.detail.action)).toEqual(['return', 'publish']);
  });

  it('refuses a member publishing, returning or featuring, and editing someone else\'s item — nothing changes', async () => {
    const own = await buildDraft(h.command, alice.viewer);
    await h.command(new SubmitContentCommand(alice.viewer, own));
    const before = await item(own);
    await expect(h.command(new PublishContentCommand(alice.viewer, own))).rejects.toMatchObject({ status: 403, code: 'content.errors.operatorsOnly' });
    await expect(h.command(new PublishContentCommand(alice.viewer, own, new Date(Date.now() + 3600_000)))).rejects.toMatchObject({ status: 403 });
    await expect(h.command(new ReturnContentCommand(alice.viewer, own, 'だめ'))).rejects.toMatchObject({ status: 403 });
    await expect(h.command(new DeclineContentCommand(alice.viewer, own, 'だめ'))).rejects.toMatchObject({ status: 403 });
    expect(await item(own)).toEqual(before);

    const published = await buildPublished(h.command, bob.viewer, operator.viewer);
    const onlineBefore = await item(published);
    await expect(h.command(new UpdateContentCommand(alice.viewer, published, { title: '乗っ取り' }))).rejects.toMatchObject({ status: 403, code: 'content.errors.notYours' });
    await expect(h.command(new UnpublishContentCommand(alice.viewer, published))).rejects.toMatchObject({ status: 403 });
    await expect(h.command(new FeatureContentCommand(alice.viewer, published, true))).rejects.toMatchObject({ status: 403, code: 'content.errors.operatorsOnly' });
    await expect(h.command(new DiscardContentCommand(alice.viewer, published))).rejects.toMatchObject({ status: 403 });
    // Someone else's draft is not even there.
    const bobsDraft = await buildDraft(h.command, bob.viewer);
    await expect(h.command(new UpdateContentCommand(alice.viewer, bobsDraft, { title: '乗っ取り' }))).rejects.toMatchObject({ status: 404 });
    await expect(h.command(new SubmitContentCommand(alice.viewer, bobsDraft))).rejects.toMatchObject({ status: 404 });
    expect(await item(published)).toEqual(onlineBefore);
    expect((await h.query(new GetContentQuery(alice.viewer, published, 'ja'))).title).toBe(contentInput().title);
    // An operator cannot publish a member's draft that was never submitted.
    await expect(h.command(new PublishContentCommand(operator.viewer, bobsDraft))).rejects.toMatchObject({ status: 409 });
    // Visitors and applicants cannot write.
    const pending = await buildMember(h.em.fork(), { status: 'pending' });
    await expect(h.command(new CreateContentCommand(pending.viewer, contentInput()))).rejects.toMatchObject({ status: 403 });
  });

  it('keeps the published version online while a member\'s revision is reviewed; a returned revision keeps it too', async () => {
    const id = await buildPublished(h.command, alice.viewer, operator.viewer, { title: '初版のタイトル', tags: ['DX'] });
    const firstPublishedAt = (await item(id)).published_at;

    expect(await h.command(new UpdateContentCommand(alice.viewer, id, { title: '改訂版のタイトル', body: '改訂した本文です。' }))).toEqual({ status: 'published', revisionStatus: 'draft' });
    // Readers still see the first version, in the article and in lists and search.
    expect((await h.query(new GetContentQuery(bob.viewer, id, 'ja'))).version.title).toBe('初版のタイトル');
    expect((await h.query(new GetContentQuery(bob.viewer, id, 'ja'))).revision).toBeNull();
    expect((await h.query(new ListContentQuery(bob.viewer, { q: '初版' }, 1, 'ja'))).items.map((c) => c.id)).toEqual([id]);
    expect((await h.query(new ListContentQuery(bob.viewer, { q: '改訂' }, 1, 'ja'))).items).toEqual([]);
    const mine = await h.query(new GetContentQuery(alice.viewer, id, 'ja'));
    expect(mine.revision).toMatchObject({ status: 'draft', version: { title: '改訂版のタイトル' } });
    expect(mine.can).toMatchObject({ submit: true, discard: true });

    expect(await h.command(new SubmitContentCommand(alice.viewer, id))).toEqual({ status: 'published', revisionStatus: 'submitted' });
    expect((await h.query(new ListReviewQueueQuery(operator.viewer, 'ja'))).revisions.map((c) => [c.id, c.title])).toEqual([[id, '改訂版のタイトル']]);
    expect(await h.command(new ReturnContentCommand(operator.viewer, id, '数字の出典を書いてください。'))).toEqual({ status: 'published', revisionStatus: 'returned' });
    expect((await h.query(new GetContentQuery(bob.viewer, id, 'ja'))).version.title).toBe('初版のタイトル');
    expect((await h.query(new GetContentQuery(alice.viewer, id, 'ja'))).revision).toMatchObject({ status: 'returned', reviewComment: '数字の出典を書いてください。' });
    expect((await outbox(ContentEvents.reviewed)).map((r) => r.payload)).toEqual([
      expect.objectContaining({ decision: 'published', revision: false }),
      expect.objectContaining({ decision: 'returned', revision: true, comment: '数字の出典を書いてください。' }),
    ]);

    await h.command(new UpdateContentCommand(alice.viewer, id, { body: '改訂した本文です（出典: 2026年版白書）。' }));
    await h.command(new SubmitContentCommand(alice.viewer, id));
    await h.command(new PublishContentCommand(operator.viewer, id));
    const after = await h.query(new GetContentQuery(bob.viewer, id, 'ja'));
    expect(after.version).toMatchObject({ title: '改訂版のタイトル', body: '改訂した本文です（出典: 2026年版白書）。' });
    expect((await item(id)).published_at).toEqual(firstPublishedAt);
    expect((await h.query(new ListContentQuery(bob.viewer, { q: '白書' }, 1, 'ja'))).items.map((c) => c.id)).toEqual([id]);
    expect((await outbox(ContentEvents.published)).map((r) => (r.payload as { revision: boolean }).revision)).toEqual([false, true]);

    // A declined revision is dropped; the published version stays.
    await h.command(new UpdateContentCommand(alice.viewer, id, { title: '三版目' }));
    await h.command(new SubmitContentCommand(alice.viewer, id));
    expect(await h.command(new DeclineContentCommand(operator.viewer, id, '今回は見送ります。'))).toEqual({ status: 'published', revisionStatus: null });
    expect((await h.query(new GetContentQuery(alice.viewer, id, 'ja'))).version.title).toBe('改訂版のタイトル');
  });

  it('an operator\'s edit of a published item is online at once; an operator publishes their own draft directly', async () => {
    const id = await buildPublished(h.command, alice.viewer, operator.viewer);
    expect(await h.command(new UpdateContentCommand(operator.viewer, id, { title: '誤字を直したタイトル' }))).toEqual({ status: 'published', revisionStatus: null });
    expect((await h.query(new GetContentQuery(null, id, 'ja')).catch(() => null))).toBeNull();
    expect((await h.query(new GetContentQuery(bob.viewer, id, 'ja'))).title).toBe('誤字を直したタイトル');

    const news = await buildDraft(h.command, operator.viewer, { type: 'news', title: '新オフィス開設のお知らせ', visibility: 'public' });
    expect((await h.query(new GetContentQuery(operator.viewer, news, 'ja'))).can.publish).toBe(true);
    await h.command(new PublishContentCommand(operator.viewer, news));
    expect((await h.query(new GetContentQuery(null, news, 'ja'))).status).toBe('published');
    // No review notice for one's own item.
    expect((await outbox(ContentEvents.reviewed)).filter((r) => r.payload.contentId === news)).toEqual([]);
  });

  it('withdraws, discards, unpublishes and re-publishes as the workflow allows', async () => {
    const id = await buildDraft(h.command, alice.viewer);
    await h.command(new SubmitContentCommand(alice.viewer, id));
    await expect(h.command(new DiscardContentCommand(alice.viewer, id))).rejects.toMatchObject({ status: 409 });
    expect(await h.command(new WithdrawContentCommand(alice.viewer, id))).toEqual({ status: 'draft', revisionStatus: null });
    await h.command(new DiscardContentCommand(alice.viewer, id));
    await expect(h.query(new GetContentQuery(alice.viewer, id, 'ja'))).rejects.toMatchObject({ status: 404 });

    const online = await buildPublished(h.command, alice.viewer, operator.viewer);
    await h.command(new FeatureContentCommand(operator.viewer, online, true));
    expect((await h.query(new GetContentHomeQuery(bob.viewer, 'ja'))).featured.map((c) => c.id)).toEqual([online]);
    expect(await h.command(new UnpublishContentCommand(alice.viewer, online))).toEqual({ status: 'unpublished' });
    expect((await h.query(new GetContentHomeQuery(bob.viewer, 'ja'))).featured).toEqual([]);
    await expect(h.query(new GetContentQuery(bob.viewer, online, 'ja'))).rejects.toMatchObject({ status: 404 });
    // Once online, the author may not delete it; an operator may.
    await expect(h.command(new DiscardContentCommand(alice.viewer, online))).rejects.toMatchObject({ status: 409 });
    await h.command(new UpdateContentCommand(alice.viewer, online, { summary: '加筆しました。' }));
    await h.command(new SubmitContentCommand(alice.viewer, online));
    await h.command(new PublishContentCommand(operator.viewer, online));
    expect((await h.query(new GetContentQuery(bob.viewer, online, 'ja'))).summary).toBe('加筆しました。');
    expect((await item(online)).featured_at).toBeNull();
    await h.command(new UnpublishContentCommand(operator.viewer, online));
    await h.command(new DiscardContentCommand(operator.viewer, online));
    expect(await item(online)).toBeUndefined();
    expect((await h.query(new ListMyContentQuery(alice.viewer, 1, 'ja'))).items).toEqual([]);
  });

  it('pins at most four items, unpinning the oldest, and only published ones', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await buildPublished(h.command, operator.viewer, operator.viewer, { title: `お知らせ ${i + 1}` }));
    for (const id of ids) await h.command(new FeatureContentCommand(operator.viewer, id, true));
    const home = await h.query(new GetContentHomeQuery(bob.viewer, 'ja', 10));
    expect(home.featured.map((c) => c.id)).toEqual([ids[4], ids[3], ids[2], ids[1]]);
    expect(home.latest.map((c) => c.id)).toEqual([ids[0]]);
    const draft = await buildDraft(h.command, operator.viewer);
    await expect(h.command(new FeatureContentCommand(operator.viewer, draft, true))).rejects.toMatchObject({ status: 409, code: 'content.errors.notFeaturable' });
    await h.command(new FeatureContentCommand(operator.viewer, ids[4], false));
    expect((await h.query(new GetContentHomeQuery(bob.viewer, 'ja'))).featured.map((c) => c.id)).toEqual([ids[3], ids[2], ids[1]]);
    expect((await audit()).map((a) => a.detail.action).filter((a) => a.endsWith('feature'))).toEqual(['feature', 'feature', 'feature', 'feature', 'feature', 'unfeature']);
  });

  it('checks the editor\'s fields and names the field', async () => {
    const cases: [Partial<ReturnType<typeof contentInput>>, string, string][] = [
      [{ title: '   ' }, 'title', 'content.errors.required'],
      [{ title: 'あ'.repeat(121) }, 'title', 'content.errors.tooLong'],
      [{ summary: 'あ'.repeat(301) }, 'summary', 'content.errors.tooLong'],
      [{ tags: Array.from({ length: 9 }, (_, i) => `タグ${i}`) }, 'tags', 'content.errors.tooMany'],
      [{ tags: ['あ'.repeat(31)] }, 'tags', 'content.errors.tooLong'],
      [{ type: 'blog' as never }, 'type', 'content.errors.invalid'],
      [{ visibility: 'operators' as never }, 'visibility', 'content.errors.invalid'],
      [{ title: 'タイトル\u0000' }, 'title', 'content.errors.invalid'],
      [{ type: 'event-report' }, 'eventId', 'content.errors.required'],
      [{ type: 'column', eventId: '7f1c1f7e-5b3a-4d1e-9a55-0d3c5b0f9e11' }, 'eventId', 'content.errors.eventOnlyForReports'],
      [{ type: 'event-report', eventId: '7f1c1f7e-5b3a-4d1e-9a55-0d3c5b0f9e11' }, 'eventId', 'content.errors.eventNotFound'],
    ];
    for (const [over, field, code] of cases) {
      await expect(h.command(new CreateContentCommand(alice.viewer, contentInput(over)))).rejects.toMatchObject({ field, code });
    }
    const upcoming = await buildEvent(h.em.fork(), { inDays: 3 });
    await expect(h.command(new CreateContentCommand(alice.viewer, contentInput({ type: 'event-report', eventId: upcoming.id })))).rejects.toMatchObject({ field: 'eventId', code: 'content.errors.eventNotPast' });
    const employeesOnly = await buildEvent(h.em.fork(), { inDays: -3, visibility: 'employees' });
    await expect(h.command(new CreateContentCommand(alice.viewer, contentInput({ type: 'event-report', eventId: employeesOnly.id })))).rejects.toMatchObject({ field: 'eventId', code: 'content.errors.eventNotFound' });
    const past = await buildEvent(h.em.fork(), { inDays: -3, title: '秋の交流会' });
    const { contentId } = await h.command(new CreateContentCommand(alice.viewer, contentInput({ type: 'event-report', eventId: past.id, tags: ['DX', 'ｄｘ', ' #交流会 ', ''] })));
    const view = await h.query(new GetContentQuery(alice.viewer, contentId, 'ja'));
    expect(view.tags).toEqual(['DX', '交流会']);
    expect(view.event).toMatchObject({ eventId: past.id, title: '秋の交流会', url: `/events/${past.id}` });
    // A draft may be empty; a submission needs a body.
    const empty = await buildDraft(h.command, alice.viewer, { body: '' });
    await expect(h.command(new SubmitContentCommand(alice.viewer, empty))).rejects.toMatchObject({ field: 'body', code: 'content.errors.required' });
  });

  it('keeps autosaves as one version a minute per person', async () => {
    const id = await buildDraft(h.command, alice.viewer);
    for (const body of ['下書き1', '下書き12', '下書き123']) await h.command(new UpdateContentCommand(alice.viewer, id, { body }, { autosave: true }));
    await h.command(new UpdateContentCommand(alice.viewer, id, { title: '手で保存' }));
    let history = await h.query(new ListContentRevisionsQuery(alice.viewer, id, 'ja'));
    expect(history.map((r) => [r.action, r.version.body])).toEqual([
      ['edit', '下書き123'],
      ['edit', '下書き123'],
      ['create', contentInput().body],
    ]);
    expect(history[0].changed).toEqual(['title']);
    // An autosave older than a minute is kept; the next one is a new version.
    await h.fresh((em) => em.execute(`update content.version set at = at - interval '2 minutes' where item_id = ?`, [id]));
    await h.command(new UpdateContentCommand(alice.viewer, id, { body: 'A' }, { autosave: true }));
    await h.fresh((em) => em.execute(`update content.version set at = at - interval '2 minutes' where item_id = ?`, [id]));
    await h.command(new UpdateContentCommand(alice.viewer, id, { body: 'AB' }, { autosave: true }));
    history = await h.query(new ListContentRevisionsQuery(alice.viewer, id, 'ja'));
    expect(history.map((r) => r.version.body).slice(0, 2)).toEqual(['AB', 'A']);
    // An operator's autosave of a published item does not go online.
    const online = await buildPublished(h.command, alice.viewer, operator.viewer);
    await h.command(new UpdateContentCommand(operator.viewer, online, { title: '書きかけ' }, { autosave: true }));
    expect((await h.query(new GetContentQuery(bob.viewer, online, 'ja'))).title).toBe(contentInput().title);
  });
});
