import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { IntegrationEventsProcessor } from '@libs/outbox/integration-events.processor';
import type { IntegrationEvent } from '@libs/outbox/integration-event';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { OutboxWorkerModule } from '@libs/outbox/outbox.module';
import { QueueModule } from '@libs/queue/queue.module';
import { messageCatalog } from '@libs/i18n';
import type { Viewer } from '@libs/security/access-policy';
import { ContentModule } from '@modules/content/content.module';
import {
  CommentOnContentCommand,
  ContentEvents,
  CreateContentCommand,
  DeclineContentCommand,
  LIKES_WINDOW_MS,
  LikeContentCommand,
  PublishContentCommand,
  ReturnContentCommand,
  SubmitContentCommand,
  UpdateContentCommand,
  type ContentInput,
} from '@modules/content/contracts';
import { EventsModule } from '@modules/events/events.module';
import { Member } from '@modules/membership/domain/member.entity';
import { MembershipModule } from '@modules/membership/membership.module';
import { ModerationModule } from '@modules/moderation/moderation.module';
import { Notification } from '@modules/notifications/domain/notification.entity';
import { NotificationsModule } from '@modules/notifications/notifications.module';
import { notificationText } from '@modules/notifications/web/notification-text';
import { PrivacyModule } from '@modules/privacy/privacy.module';
import { buildMember, type BuiltMember } from '../../factories/member.factory';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';

/** Content's reviewed, comment-created and likes-batched events in the members' bells, as the worker delivers them. */
describe('content notices through the outbox (PostgreSQL)', () => {
  let h: ModuleHarness;
  let events: IntegrationEventsProcessor;
  let operator: BuiltMember;
  let alice: BuiltMember;
  let bob: BuiltMember;
  let carol: BuiltMember;

  beforeAll(async () => {
    h = await bootModules([MembershipModule, EventsModule, ContentModule, ModerationModule, PrivacyModule, NotificationsModule, OutboxWorkerModule, QueueModule]);
    events = h.app.get(IntegrationEventsProcessor);
  });
  beforeEach(async () => {
    await resetDatabase(h.em);
    operator = await buildMember(h.em.fork(), { status: 'employee', role: 'operator', familyName: '運営', givenName: '花子' });
    alice = await buildMember(h.em.fork(), { status: 'alumni', familyName: '山田', givenName: '太郎', familyNameKana: 'ヤマダ', givenNameKana: 'タロウ' });
    bob = await buildMember(h.em.fork(), { status: 'employee', familyName: '佐藤', givenName: '健', familyNameKana: 'サトウ', givenNameKana: 'ケン' });
    carol = await buildMember(h.em.fork(), { status: 'alumni', familyName: '鈴木', givenName: '葵', familyNameKana: 'スズキ', givenNameKana: 'アオイ' });
  });
  afterAll(() => h.close());

  const input = (over: Partial<ContentInput> = {}): ContentInput => ({
    type: 'column',
    title: '出戻り社員が見た十年の変化',
    summary: '退職して七年、戻って一年。',
    body: '退職して七年、**戻って一年**になりました。',
    tags: ['キャリア', '出戻り'],
    visibility: 'members',
    language: 'ja',
    ...over,
  });
  /** A member's draft, submitted for review. */
  async function submitted(author: Viewer, over: Partial<ContentInput> = {}): Promise<string> {
    const { contentId } = await h.command(new CreateContentCommand(author, input(over)));
    await h.command(new SubmitContentCommand(author, contentId));
    return contentId;
  }
  /** A member's item, submitted and published by the operator. */
  async function published(author: Viewer, over: Partial<ContentInput> = {}): Promise<string> {
    const id = await submitted(author, over);
    await h.command(new PublishContentCommand(operator.viewer, id));
    return id;
  }

  /** The events of `name` waiting in the outbox, oldest first, as the relay would hand them to the worker. */
  const waiting = async (name: string) =>
    (await h.fresh((em) => em.find(OutboxMessage, { name }, { orderBy: { createdAt: 'asc' } }))).map((row) => row.payload as unknown as IntegrationEvent);
  /** Delivers every waiting event of `name` through the worker's dispatcher (an event delivered before is delivered again). */
  async function deliver(name: string): Promise<void> {
    for (const event of await waiting(name)) await events.dispatch(event);
  }
  const notes = (memberId: string) => h.fresh((em) => em.find(Notification, { memberId }, { orderBy: { createdAt: 'asc' } }));
  const allNotes = () => h.fresh((em) => em.count(Notification, {}));
  const text = (n: Notification, locale: 'ja' | 'en') => notificationText(messageCatalog(), n, locale, 'Asia/Tokyo');

  describe('review decisions', () => {
    it("tells the author of a return with the operator's comment, leading to the editor; once, however often it is delivered", async () => {
      const id = await submitted(alice.viewer);
      await h.command(new ReturnContentCommand(operator.viewer, id, '冒頭に自己紹介を一文加えてください。'));
      await deliver(ContentEvents.reviewed);

      const got = await notes(alice.member.id);
      expect(got.map((n) => [n.kind, n.params, n.link])).toEqual([
        ['content-returned', { title: '出戻り社員が見た十年の変化', comment: '冒頭に自己紹介を一文加えてください。' }, `/content/${id}/edit`],
      ]);
      expect(text(got[0], 'ja')).toBe('「出戻り社員が見た十年の変化」が差し戻されました。運営からのコメント: 冒頭に自己紹介を一文加えてください。');
      expect(text(got[0], 'en')).toBe('"出戻り社員が見た十年の変化" was returned to you. The office says: 冒頭に自己紹介を一文加えてください。');
      // The operator who decided is told nothing.
      expect(await notes(operator.member.id)).toEqual([]);

      await deliver(ContentEvents.reviewed);
      // A redelivery under a new handler run (the processed-job record lost): the dedupe key still holds.
      for (const event of await waiting(ContentEvents.reviewed)) await events.dispatch({ ...event, eventId: randomUUID() });
      expect(await allNotes()).toBe(1);
    });

    it('tells the author again for each later decision: returned twice, then published', async () => {
      const id = await submitted(alice.viewer);
      await h.command(new ReturnContentCommand(operator.viewer, id, '写真を一枚加えてください。'));
      await h.command(new UpdateContentCommand(alice.viewer, id, { body: '退職して七年、戻って一年。写真も加えました。' }));
      await h.command(new SubmitContentCommand(alice.viewer, id));
      await h.command(new ReturnContentCommand(operator.viewer, id, '見出しをもう少し短く。'));
      await h.command(new SubmitContentCommand(alice.viewer, id));
      await h.command(new PublishContentCommand(operator.viewer, id));
      await deliver(ContentEvents.reviewed);

      const got = await notes(alice.member.id);
      expect(got.map((n) => [n.kind, n.params.comment ?? null, n.link])).toEqual([
        ['content-returned', '写真を一枚加えてください。', `/content/${id}/edit`],
        ['content-returned', '見出しをもう少し短く。', `/content/${id}/edit`],
        ['content-published', null, `/content/${id}`],
      ]);
      expect(text(got[2], 'ja')).toBe('「出戻り社員が見た十年の変化」が公開されました。');
      expect(text(got[2], 'en')).toBe('"出戻り社員が見た十年の変化" is published.');
    });

    it('tells the author of a scheduled publication and of a decline with its reason', async () => {
      const scheduled = await submitted(alice.viewer, { title: '関西支部の新年会' });
      // 2036-03-10 10:00 in Tokyo.
      await h.command(new PublishContentCommand(operator.viewer, scheduled, new Date('2036-03-10T01:00:00Z')));
      const declined = await submitted(alice.viewer, { title: '転職サイトの比較' });
      await h.command(new DeclineContentCommand(operator.viewer, declined, '特定の社外サービスの宣伝にあたるため掲載できません。'));
      await deliver(ContentEvents.reviewed);

      const got = await notes(alice.member.id);
      expect(got.map((n) => [n.kind, n.link])).toEqual([
        ['content-scheduled', `/content/${scheduled}`],
        ['content-declined', `/content/${declined}`],
      ]);
      expect(text(got[0], 'ja')).toMatch(/^「関西支部の新年会」の公開が予約されました。2036年3月10日\(月\) 10:00 に公開されます。$/);
      expect(text(got[0], 'en')).toMatch(/^"関西支部の新年会" is scheduled: it goes online on .*10 March 2036 10:00\.$/);
      expect(text(got[1], 'ja')).toBe('「転職サイトの比較」は掲載を見送ることになりました。運営からのコメント: 特定の社外サービスの宣伝にあたるため掲載できません。');
      expect(text(got[1], 'en')).toBe('"転職サイトの比較" will not be published. The office says: 特定の社外サービスの宣伝にあたるため掲載できません。');
    });

    it('tells the author about their revision of a published item: returned, then published', async () => {
      const id = await published(alice.viewer);
      await deliver(ContentEvents.reviewed);
      await h.command(new UpdateContentCommand(alice.viewer, id, { summary: '退職して七年、戻って一年。変わったこと、変わらないこと。' }));
      await h.command(new SubmitContentCommand(alice.viewer, id));
      await h.command(new ReturnContentCommand(operator.viewer, id, '要約が長すぎます。'));
      await h.command(new SubmitContentCommand(alice.viewer, id));
      await h.command(new PublishContentCommand(operator.viewer, id));
      await deliver(ContentEvents.reviewed);

      const got = await notes(alice.member.id);
      expect(got.map((n) => n.kind)).toEqual(['content-published', 'content-revision-returned', 'content-revision-published']);
      expect(text(got[1], 'ja')).toBe('「出戻り社員が見た十年の変化」の修正が差し戻されました。運営からのコメント: 要約が長すぎます。');
      expect(text(got[2], 'en')).toBe('Your changes to "出戻り社員が見た十年の変化" are published.');
    });

    it("shortens a long comment in the bell (the whole comment is on the item's page)", async () => {
      const id = await submitted(alice.viewer);
      await h.command(new ReturnContentCommand(operator.viewer, id, '修正をお願いします。'.repeat(40)));
      await deliver(ContentEvents.reviewed);
      const [note] = await notes(alice.member.id);
      const comment = String(note.params.comment);
      expect([...comment]).toHaveLength(200);
      expect(comment.endsWith('…')).toBe(true);
    });

    it("tells nobody when an operator publishes their own draft, nor an author whose account was suspended since", async () => {
      const { contentId } = await h.command(new CreateContentCommand(operator.viewer, input({ type: 'news', title: '新オフィス移転のお知らせ' })));
      await h.command(new PublishContentCommand(operator.viewer, contentId));
      const id = await submitted(carol.viewer);
      await h.fresh(async (em) => {
        const member = await em.findOneOrFail(Member, carol.member.id);
        member.suspend(operator.member.id, '確認のため');
        await em.flush();
      });
      await h.command(new ReturnContentCommand(operator.viewer, id, '確認してください。'));
      await deliver(ContentEvents.reviewed);
      expect(await allNotes()).toBe(0);
    });
  });

  describe('comments and replies', () => {
    it("tells the item's author of a comment, and of a reply both the item's author and the comment's author — never the writer", async () => {
      const id = await published(alice.viewer);
      const { commentId } = await h.command(new CommentOnContentCommand(bob.viewer, id, '懐かしく読みました。'));
      await h.command(new CommentOnContentCommand(carol.viewer, id, '私も同じ年に入社しました！', commentId));
      // The author's own comment tells nobody.
      await h.command(new CommentOnContentCommand(alice.viewer, id, '皆さんありがとうございます。'));
      await deliver(ContentEvents.commentCreated);

      const toAlice = await notes(alice.member.id);
      // The link leads to the comment on the item's page.
      const onPage = expect.stringMatching(new RegExp(`^/content/${id}(\\?page=\\d+)?#`));
      expect(toAlice.map((n) => [n.kind, n.params, n.link])).toEqual([
        ['content-comment', { title: '出戻り社員が見た十年の変化', name: '佐藤 健' }, onPage],
        ['content-comment', { title: '出戻り社員が見た十年の変化', name: '鈴木 葵' }, onPage],
      ]);
      expect(toAlice[0].link).toContain(commentId);
      const toBob = await notes(bob.member.id);
      expect(toBob.map((n) => [n.kind, n.params])).toEqual([['content-reply', { title: '出戻り社員が見た十年の変化', name: '鈴木 葵' }]]);
      expect(text(toAlice[0], 'ja')).toBe('佐藤 健 さんが「出戻り社員が見た十年の変化」にコメントしました。');
      expect(text(toBob[0], 'ja')).toBe('鈴木 葵 さんが「出戻り社員が見た十年の変化」のあなたのコメントに返信しました。');
      expect(text(toBob[0], 'en')).toBe('鈴木 葵 replied to your comment on "出戻り社員が見た十年の変化".');
      expect(await notes(carol.member.id)).toEqual([]);
      expect(await allNotes()).toBe(3);

      // Delivered again (also under new event ids): nothing more.
      await deliver(ContentEvents.commentCreated);
      for (const event of await waiting(ContentEvents.commentCreated)) await events.dispatch({ ...event, eventId: randomUUID() });
      expect(await allNotes()).toBe(3);
    });
  });

  describe('likes', () => {
    it('batches likes: three in one window make one notice to the author with the count, once', async () => {
      // Not across a window's end: that would rightly make two notices.
      const left = LIKES_WINDOW_MS - (Date.now() % LIKES_WINDOW_MS);
      if (left < 10_000) await sleep(left + 100);
      const id = await published(alice.viewer);
      await h.command(new LikeContentCommand(bob.viewer, id, true));
      await h.command(new LikeContentCommand(carol.viewer, id, true));
      await h.command(new LikeContentCommand(operator.viewer, id, true));
      // Once per member: liking again changes nothing.
      await h.command(new LikeContentCommand(bob.viewer, id, true));

      const batched = await waiting(ContentEvents.likesBatched);
      expect(batched).toHaveLength(1);
      await deliver(ContentEvents.likesBatched);
      await deliver(ContentEvents.likesBatched);
      for (const event of batched) await events.dispatch({ ...event, eventId: randomUUID() });

      const got = await notes(alice.member.id);
      expect(got.map((n) => [n.kind, n.params, n.link])).toEqual([['content-likes', { title: '出戻り社員が見た十年の変化', count: 3 }, `/content/${id}`]]);
      const windowStart = (batched[0] as IntegrationEvent & { windowStart: string }).windowStart;
      expect(got[0].dedupeKey).toBe(`content-likes:${id}:${windowStart}`);
      expect(text(got[0], 'ja')).toBe('「出戻り社員が見た十年の変化」に 3 件のいいねがありました。');
      expect(text(got[0], 'en')).toBe('Likes for "出戻り社員が見た十年の変化": 3.');
      expect(await notes(bob.member.id)).toEqual([]);
    });

    it('tells nothing when every like of the window was taken back', async () => {
      const id = await published(alice.viewer);
      await h.command(new LikeContentCommand(bob.viewer, id, true));
      await h.command(new LikeContentCommand(bob.viewer, id, false));
      await deliver(ContentEvents.likesBatched);
      expect(await notes(alice.member.id)).toEqual([]);
    });
  });
});
