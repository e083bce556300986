import { MembershipModule } from '@modules/membership/membership.module';
import { ModerationModule } from '@modules/moderation/moderation.module';
import { DecideModerationCommand, ListModerationQueueQuery } from '@modules/moderation/contracts';
import { NetworkingModule } from '@modules/networking/networking.module';
import { PrivacyModule } from '@modules/privacy/privacy.module';
import {
  DeletePostCommand,
  EditPostCommand,
  GetThreadQuery,
  ListBoardsQuery,
  ListPostRevisionsQuery,
  ListThreadsQuery,
  ListUnreadThreadsQuery,
  LocatePostQuery,
  MarkBoardReadCommand,
  MarkThreadReadCommand,
  ModerateThreadCommand,
  ReactToPostCommand,
  RecordForumVisitCommand,
  ReplyToThreadCommand,
  ReportPostCommand,
  SearchForumQuery,
  SeedDemoForumCommand,
  StartThreadCommand,
  SuggestMentionsQuery,
  WatchThreadCommand,
} from '@modules/networking/contracts';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { OutboxWorkerModule } from '@libs/outbox/outbox.module';
import { IntegrationEventsProcessor } from '@libs/outbox/integration-events.processor';
import type { IntegrationEvent } from '@libs/outbox/integration-event';
import { QueueModule } from '@libs/queue/queue.module';
import { SeedDemoCommunityCommand } from '@modules/membership/contracts';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';
import { buildMember, type BuiltMember } from '../../factories/member.factory';
import { buildBoard, buildThread } from '../../factories/forum.factory';

describe('the forum (Networking, real PostgreSQL)', () => {
  let h: ModuleHarness;
  let operator: BuiltMember;
  let alice: BuiltMember;
  let bob: BuiltMember;
  let carol: BuiltMember;

  beforeAll(async () => {
    h = await bootModules([NetworkingModule, MembershipModule, ModerationModule, PrivacyModule, OutboxWorkerModule, QueueModule]);
  });
  beforeEach(async () => {
    await resetDatabase(h.em);
    operator = await buildMember(h.em.fork(), { status: 'employee', role: 'operator', familyName: '運営', givenName: '花子', familyNameKana: 'ウンエイ', givenNameKana: 'ハナコ' });
    alice = await buildMember(h.em.fork(), { status: 'alumni', familyName: '山田', givenName: '太郎', familyNameKana: 'ヤマダ', givenNameKana: 'タロウ' });
    bob = await buildMember(h.em.fork(), { status: 'employee', familyName: '佐藤', givenName: '健', familyNameKana: 'サトウ', givenNameKana: 'ケン' });
    carol = await buildMember(h.em.fork(), { status: 'alumni', familyName: '髙橋', givenName: '葵', familyNameKana: 'タカハシ', givenNameKana: 'アオイ' });
  });
  afterAll(() => h.close());

  it('numbers replies, counts them on the board and links mentions', async () => {
    const boardId = await buildBoard(h.command, operator.viewer);
    const { threadId } = await buildThread(h.command, boardId, alice.viewer, { replies: [{ by: bob.viewer, body: '用語集を最初に渡すと良いですよ @山田太郎' }] });
    const view = await h.query(new GetThreadQuery(bob.viewer, threadId, 1, 'ja'));
    expect(view.posts.map((p) => p.number)).toEqual([1, 2]);
    expect(view.posts[1].html).toContain(`<a class="mention" href="/members/${alice.member.id}">@山田太郎</a>`);
    const [board] = await h.query(new ListBoardsQuery(alice.viewer, 'ja'));
    expect(board).toMatchObject({ threadCount: 1, postCount: 2, lastThread: { id: threadId } });
    const threads = await h.query(new ListThreadsQuery(alice.viewer, boardId, 1, 'ja'));
    expect(threads.items[0]).toMatchObject({ replies: 1, lastNumber: 2 });
  });

  it('gives two replies at the same moment distinct numbers and exact counts', async () => {
    const boardId = await buildBoard(h.command, operator.viewer);
    const { threadId } = await buildThread(h.command, boardId, alice.viewer);
    const members = [alice, bob, carol, operator];
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => h.command(new ReplyToThreadCommand(members[i % 4].viewer, threadId, { body: `同時の返信 ${i}` }))));
    expect(results.map((r) => r.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 2));
    const [board] = await h.query(new ListBoardsQuery(alice.viewer, 'ja'));
    expect(board.postCount).toBe(13);
    const page = await h.query(new GetThreadQuery(alice.viewer, threadId, 1, 'ja'));
    expect(page.thread).toMatchObject({ postCount: 13, lastNumber: 13 });
    // Each post is an integration event with its number, for the digest and the bell.
    const events = await h.fresh((em) => em.find(OutboxMessage, { name: 'networking.post-created' }));
    expect(events.map((e) => e.payload.number).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect(new Set(events.map((e) => e.payload.boardId))).toEqual(new Set([boardId]));
  });

  it('pages 20 posts and finds a post\'s page', async () => {
    const boardId = await buildBoard(h.command, operator.viewer);
    const { threadId } = await buildThread(h.command, boardId, alice.viewer);
    let thirtieth = '';
    for (let i = 2; i <= 45; i++) {
      const r = await h.command(new ReplyToThreadCommand(i % 2 ? alice.viewer : bob.viewer, threadId, { body: `返信 ${i}` }));
      if (r.number === 30) thirtieth = r.postId;
    }
    const page2 = await h.query(new GetThreadQuery(bob.viewer, threadId, 2, 'ja'));
    expect(page2).toMatchObject({ page: 2, pages: 3 });
    expect(page2.posts.map((p) => p.number)).toEqual(Array.from({ length: 20 }, (_, i) => i + 21));
    expect((await h.query(new GetThreadQuery(bob.viewer, threadId, 99, 'ja'))).page).toBe(3);
    expect(await h.query(new LocatePostQuery(bob.viewer, thirtieth))).toEqual({ threadId, number: 30, page: 2 });
  });

  it('keeps boards to their readers: 404 for others, visitors only on public boards', async () => {
    const alumniBoard = await buildBoard(h.command, operator.viewer, { nameJa: 'アルムナイ広場', visibility: 'alumni' });
    const publicBoard = await buildBoard(h.command, operator.viewer, { nameJa: 'お知らせ', publicReadable: true, threadStarters: 'operators' });
    const { threadId } = await buildThread(h.command, alumniBoard, alice.viewer);
    await expect(h.query(new GetThreadQuery(bob.viewer, threadId, 1, 'ja'))).rejects.toMatchObject({ status: 404 });
    await expect(h.query(new GetThreadQuery(null, threadId, 1, 'ja'))).rejects.toMatchObject({ status: 404 });
    await expect(h.command(new ReplyToThreadCommand(bob.viewer, threadId, { body: 'x' }))).rejects.toMatchObject({ status: 404 });
    expect((await h.query(new GetThreadQuery(operator.viewer, threadId, 1, 'ja'))).posts).toHaveLength(1);
    expect((await h.query(new ListBoardsQuery(null, 'ja'))).map((b) => b.id)).toEqual([publicBoard]);
    expect((await h.query(new ListBoardsQuery(bob.viewer, 'ja'))).map((b) => b.id)).toEqual([publicBoard]);
    await expect(h.command(new StartThreadCommand(alice.viewer, publicBoard, '質問', { body: '本文' }))).rejects.toMatchObject({ status: 403 });
    const { threadId: news } = await buildThread(h.command, publicBoard, operator.viewer, { title: '年末年始のお知らせ' });
    expect((await h.query(new GetThreadQuery(null, news, 1, 'ja'))).canReply).toBe(false);
    expect((await h.query(new GetThreadQuery(alice.viewer, news, 1, 'ja'))).canReply).toBe(true);
    const suspended = await buildMember(h.em.fork(), { status: 'suspended' });
    await expect(h.command(new ReplyToThreadCommand(suspended.viewer, news, { body: 'x' }))).rejects.toMatchObject({ status: 403 });
  });

  it('renders hostile posts inert', async () => {
    const boardId = await buildBoard(h.command, operator.viewer);
    const { threadId } = await buildThread(h.command, boardId, alice.viewer, { body: '<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1)) [d](data:text/html,<b>x</b>) <a href="javascript:alert(2)">a</a>' });
    const [post] = (await h.query(new GetThreadQuery(bob.viewer, threadId, 1, 'ja'))).posts;
    expect(post.html).not.toMatch(/<script|<img|<[^>]*\son\w+=|<a[^>]*href="(javascript|data):/i);
    expect(post.html).toContain('&lt;script&gt;');
  });

  it('keeps reading state per member: unread counts, first unread, mark board read, only forward', async () => {
    const boardId = await buildBoard(h.command, operator.viewer);
    await h.command(new RecordForumVisitCommand(bob.viewer));
    const { threadId } = await buildThread(h.command, boardId, alice.viewer, { replies: [{ by: alice.viewer, body: '二つ目' }, { by: alice.viewer, body: '三つ目' }] });
    let [board] = await h.query(new ListBoardsQuery(bob.viewer, 'ja'));
    expect(board.unread).toBe(1);
    let [item] = (await h.query(new ListThreadsQuery(bob.viewer, boardId, 1, 'ja'))).items;
    expect(item).toMatchObject({ isNew: true, unreadPosts: 3, firstUnreadNumber: 1 });
    await h.command(new MarkThreadReadCommand(bob.viewer, threadId, 2));
    await h.command(new MarkThreadReadCommand(bob.viewer, threadId, 1));
    [item] = (await h.query(new ListThreadsQuery(bob.viewer, boardId, 1, 'ja'))).items;
    expect(item).toMatchObject({ isNew: false, unreadPosts: 1, firstUnreadNumber: 3 });
    expect((await h.query(new GetThreadQuery(bob.viewer, threadId, 1, 'ja'))).firstUnreadNumber).toBe(3);
    await h.command(new MarkBoardReadCommand(bob.viewer, boardId));
    [board] = await h.query(new ListBoardsQuery(bob.viewer, 'ja'));
    expect(board.unread).toBe(0);
    await h.command(new ReplyToThreadCommand(alice.viewer, threadId, { body: '四つ目' }));
    [board] = await h.query(new ListBoardsQuery(bob.viewer, 'ja'));
    expect(board.unread).toBe(1);
    // Carol never opened the forum: what was written before her first visit is not hers to read.
    [board] = await h.query(new ListBoardsQuery(carol.viewer, 'ja'));
    expect(board.unread).toBe(0);
  });

  it('lists watched threads with new posts as unread, and not muted ones', async () => {
    const boardId = await buildBoard(h.command, operator.viewer);
    const { threadId } = await buildThread(h.command, boardId, alice.viewer);
    const { threadId: other } = await buildThread(h.command, boardId, alice.viewer, { title: '別の話題' });
    await h.command(new ReplyToThreadCommand(bob.viewer, threadId, { body: '返信します' }));
    await h.command(new ReplyToThreadCommand(bob.viewer, other, { body: 'こちらにも' }));
    await h.command(new WatchThreadCommand(alice.viewer, other, 'muted'));
    const unread = await h.query(new ListUnreadThreadsQuery(alice.viewer, 1, 'ja'));
    expect(unread.items.map((i) => i.id)).toEqual([threadId]);
    expect(unread.items[0]).toMatchObject({ unreadPosts: 1, firstUnreadNumber: 2 });
  });

  it('edits keep earlier versions for operators; deleted posts keep their place', async () => {
    const boardId = await buildBoard(h.command, operator.viewer);
    const { threadId, postId } = await buildThread(h.command, boardId, alice.viewer, { body: '最初の文章' });
    await h.command(new EditPostCommand(alice.viewer, postId, '直した文章'));
    await expect(h.command(new EditPostCommand(bob.viewer, postId, '他人が直す'))).rejects.toMatchObject({ status: 403 });
    const [post] = (await h.query(new GetThreadQuery(bob.viewer, threadId, 1, 'ja'))).posts;
    expect(post.editedAt).not.toBeNull();
    expect(post.html).toContain('直した文章');
    expect((await h.query(new ListPostRevisionsQuery(operator.viewer, postId))).map((r) => r.body)).toEqual(['最初の文章']);
    await expect(h.query(new ListPostRevisionsQuery(bob.viewer, postId))).rejects.toMatchObject({ status: 403 });
    const reply = await h.command(new ReplyToThreadCommand(bob.viewer, threadId, { body: '消す予定の返信' }));
    await h.command(new DeletePostCommand(bob.viewer, reply.postId));
    const posts = (await h.query(new GetThreadQuery(alice.viewer, threadId, 1, 'ja'))).posts;
    expect(posts[1]).toMatchObject({ number: 2, deleted: true, html: '' });
    expect((await h.query(new SearchForumQuery(alice.viewer, { q: '消す予定' }, 1, 'ja'))).total).toBe(0);
  });

  it('counts one reaction of each kind per member', async () => {
    const boardId = await buildBoard(h.command, operator.viewer);
    const { postId } = await buildThread(h.command, boardId, alice.viewer);
    await h.command(new ReactToPostCommand(bob.viewer, postId, 'like', true));
    await h.command(new ReactToPostCommand(bob.viewer, postId, 'like', true));
    await h.command(new ReactToPostCommand(carol.viewer, postId, '👍' as never, true));
    const counts = await h.command(new ReactToPostCommand(carol.viewer, postId, 'tada', true));
    expect(counts).toEqual([
      { kind: 'like', emoji: '👍', count: 2, mine: true },
      { kind: 'tada', emoji: '🎉', count: 1, mine: true },
    ]);
    const after = await h.command(new ReactToPostCommand(bob.viewer, postId, 'like', false));
    expect(after.find((r) => r.kind === 'like')).toMatchObject({ count: 1, mine: false });
    await expect(h.command(new ReactToPostCommand(bob.viewer, postId, 'rocket' as never, true))).rejects.toMatchObject({ field: 'kind' });
    // The reactions of one window are one batched notice: one outbox row for them all.
    expect(await h.fresh((em) => em.count(OutboxMessage, { name: 'networking.reactions-batched' }))).toBe(1);
  });

  it('hides a post reported by three different members and queues it for review', async () => {
    const boardId = await buildBoard(h.command, operator.viewer);
    const { threadId, postId } = await buildThread(h.command, boardId, alice.viewer, { body: '問題のある投稿' });
    const dave = await buildMember(h.em.fork(), { status: 'employee' });
    expect((await h.command(new ReportPostCommand(bob.viewer, postId, 'スパムです'))).hidden).toBe(false);
    expect((await h.command(new ReportPostCommand(bob.viewer, postId, 'もう一度'))).hidden).toBe(false);
    expect((await h.command(new ReportPostCommand(carol.viewer, postId, '不適切'))).hidden).toBe(false);
    await expect(h.command(new ReportPostCommand(alice.viewer, postId, '自分'))).rejects.toMatchObject({ status: 409 });
    expect((await h.command(new ReportPostCommand(dave.viewer, postId, '広告'))).hidden).toBe(true);
    const [shown] = (await h.query(new GetThreadQuery(bob.viewer, threadId, 1, 'ja'))).posts;
    expect(shown).toMatchObject({ hidden: true, html: '' });
    const [forOperator] = (await h.query(new GetThreadQuery(operator.viewer, threadId, 1, 'ja'))).posts;
    expect(forOperator.html).toContain('問題のある投稿');
    const queue = await h.query(new ListModerationQueueQuery(operator.viewer, 1, 'ja'));
    expect(queue.items).toHaveLength(1);
    expect(queue.items[0]).toMatchObject({ subject: { type: 'forum-post', id: postId }, reporters: 3, link: `/forum/p/${postId}`, authorName: '山田 太郎' });
    await expect(h.query(new ListModerationQueueQuery(bob.viewer, 1, 'ja'))).rejects.toMatchObject({ status: 403 });

    // The operator keeps it: the reports close, the decision reaches the forum through the outbox, the post shows again.
    await expect(h.command(new DecideModerationCommand(bob.viewer, { type: 'forum-post', id: postId }, 'keep', ''))).rejects.toMatchObject({ status: 403 });
    expect(await h.command(new DecideModerationCommand(operator.viewer, { type: 'forum-post', id: postId }, 'keep', '宣伝ではない'))).toMatchObject({ closedReports: 3 });
    const [decided] = await h.fresh((em) => em.find(OutboxMessage, { name: 'moderation.decided' }));
    await h.app.get(IntegrationEventsProcessor).dispatch(decided.payload as unknown as IntegrationEvent);
    const [again] = (await h.query(new GetThreadQuery(bob.viewer, threadId, 1, 'ja'))).posts;
    expect(again).toMatchObject({ hidden: false });
    expect(again.html).toContain('問題のある投稿');
    expect((await h.query(new ListModerationQueueQuery(operator.viewer, 1, 'ja'))).total).toBe(0);
    const [audit] = await h.fresh((em) => em.execute<{ n: string }[]>(`select count(*) as n from privacy.audit_event where action = 'moderation.decided'`));
    expect(Number(audit.n)).toBe(1);
  });

  it('lets operators pin, lock and move threads, and nobody else', async () => {
    const boardId = await buildBoard(h.command, operator.viewer);
    const other = await buildBoard(h.command, operator.viewer, { nameJa: '関西支部' });
    const { threadId } = await buildThread(h.command, boardId, alice.viewer);
    await buildThread(h.command, boardId, alice.viewer, { title: '新しい方' });
    await expect(h.command(new ModerateThreadCommand(alice.viewer, threadId, 'lock'))).rejects.toMatchObject({ status: 403 });
    await h.command(new ModerateThreadCommand(operator.viewer, threadId, 'pin-board'));
    expect((await h.query(new ListThreadsQuery(bob.viewer, boardId, 1, 'ja'))).items[0]).toMatchObject({ id: threadId, pinned: 'board' });
    // The thread is now the board's latest; once moved, the board's latest is the other one again.
    await h.command(new ReplyToThreadCommand(bob.viewer, threadId, { body: '最新の返信' }));
    expect((await h.query(new ListBoardsQuery(bob.viewer, 'ja')))[0].lastThread?.id).toBe(threadId);
    await h.command(new ModerateThreadCommand(operator.viewer, threadId, 'lock'));
    await expect(h.command(new ReplyToThreadCommand(bob.viewer, threadId, { body: 'x' }))).rejects.toMatchObject({ status: 409 });
    await expect(h.command(new ReplyToThreadCommand(operator.viewer, threadId, { body: 'x' }))).rejects.toMatchObject({ status: 409 });
    await h.command(new ModerateThreadCommand(operator.viewer, threadId, 'move', other));
    const boards = await h.query(new ListBoardsQuery(bob.viewer, 'ja'));
    expect(boards.map((b) => [b.id, b.threadCount])).toEqual([
      [boardId, 1],
      [other, 1],
    ]);
    expect(boards[0].lastThread?.id).not.toBe(threadId);
    expect(boards[1].lastThread?.id).toBe(threadId);
    const [audit] = await h.fresh((em) => em.execute<{ n: string }[]>(`select count(*) as n from privacy.audit_event where action = 'forum.moderated'`));
    expect(Number(audit.n)).toBe(3);
  });

  it('finds two-character words inside sentences, folded, only on readable boards', async () => {
    const members = await buildBoard(h.command, operator.viewer);
    const alumniOnly = await buildBoard(h.command, operator.viewer, { nameJa: 'アルムナイ広場', visibility: 'alumni' });
    await buildThread(h.command, members, alice.viewer, { title: '東京本社の話', body: '来月から人事部で新しい制度が始まります。ﾃﾞｰﾀ活用も。' });
    await buildThread(h.command, alumniOnly, alice.viewer, { title: '退職後', body: '人事の経験を活かしてNPOで働いています。' });
    const forBob = await h.query(new SearchForumQuery(bob.viewer, { q: '人事' }, 1, 'ja'));
    expect(forBob.items.map((i) => i.threadTitle)).toEqual(['東京本社の話']);
    const forCarol = await h.query(new SearchForumQuery(carol.viewer, { q: '人事' }, 1, 'ja'));
    expect(forCarol.total).toBe(2);
    expect((await h.query(new SearchForumQuery(bob.viewer, { q: 'データ' }, 1, 'ja'))).total).toBe(1);
    expect((await h.query(new SearchForumQuery(bob.viewer, { q: '東京' }, 1, 'ja'))).items[0].snippet).toContain('人事部');
    expect((await h.query(new SearchForumQuery(carol.viewer, { q: '人事', boardId: alumniOnly }, 1, 'ja'))).total).toBe(1);
    await expect(h.query(new SearchForumQuery(bob.viewer, { q: '人' }, 1, 'ja'))).rejects.toMatchObject({ field: 'q' });
    // Found as soon as it is written.
    const { threadId } = await buildThread(h.command, members, bob.viewer, { title: '関西支部のオフ会', body: '梅田で集まりましょう' });
    expect((await h.query(new SearchForumQuery(alice.viewer, { q: '梅田' }, 1, 'ja'))).items.map((i) => i.threadId)).toEqual([threadId]);
  });

  it('suggests mentions only among members who may read the board', async () => {
    const alumniOnly = await buildBoard(h.command, operator.viewer, { nameJa: 'アルムナイ広場', visibility: 'alumni' });
    const members = await buildBoard(h.command, operator.viewer);
    expect((await h.query(new SuggestMentionsQuery(alice.viewer, members, 'さとう'))).map((m) => m.handle)).toEqual(['佐藤健']);
    expect(await h.query(new SuggestMentionsQuery(alice.viewer, alumniOnly, 'さとう'))).toEqual([]);
    expect((await h.query(new SuggestMentionsQuery(alice.viewer, members, '高橋'))).map((m) => m.displayName)).toEqual(['髙橋 葵']);
  });

  it('gives the demo community Japanese boards and threads, once', async () => {
    await resetDatabase(h.em);
    await h.command(new SeedDemoCommunityCommand(30));
    operator = await buildMember(h.em.fork(), { status: 'employee', role: 'operator' });
    const seeded = await h.command(new SeedDemoForumCommand());
    expect(seeded.boards).toBeGreaterThanOrEqual(5);
    expect(seeded.threads).toBeGreaterThanOrEqual(8);
    expect(await h.command(new SeedDemoForumCommand())).toEqual({ boards: 0, threads: 0 });
    const boards = await h.query(new ListBoardsQuery(operator.viewer, 'ja'));
    expect(boards.map((b) => b.name)).toEqual(expect.arrayContaining(['お知らせ', 'DX勉強会', '子育てと仕事', '転職・キャリア相談', '関西支部']));
    expect(boards.find((b) => b.name === 'お知らせ')).toMatchObject({ threadStarters: 'operators', publicReadable: true });
    const dx = boards.find((b) => b.name === 'DX勉強会')!;
    const threads = await h.query(new ListThreadsQuery(operator.viewer, dx.id, 1, 'ja'));
    expect(threads.items.length).toBeGreaterThan(0);
    expect((await h.query(new SearchForumQuery(operator.viewer, { q: '議事録' }, 1, 'ja'))).total).toBeGreaterThan(0);
  });
});
