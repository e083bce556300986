import { MembershipModule } from '@modules/membership/membership.module';
import { ModerationModule } from '@modules/moderation/moderation.module';
import { NetworkingModule } from '@modules/networking/networking.module';
import { PrivacyModule } from '@modules/privacy/privacy.module';
import {
  GetThreadQuery,
  ListBoardsQuery,
  ListThreadsQuery,
  ReplyToThreadCommand,
  SearchForumQuery,
} from '@modules/networking/contracts';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';
import { buildMember, type BuiltMember } from '../../factories/member.factory';
import { buildBoard, buildThread } from '../../factories/forum.factory';

describe('the forum (Networking, real PostgreSQL)', () => {
  let h: ModuleHarness;
  let operator: BuiltMember;
  let alice: BuiltMember;
  let bob: BuiltMember;

  beforeAll(async () => {
    h = await bootModules([NetworkingModule, MembershipModule, ModerationModule, PrivacyModule]);
  });
  beforeEach(async () => {
    await resetDatabase(h.em);
    operator = await buildMember(h.em.fork(), { status: 'employee', role: 'operator', familyName: '運営', givenName: '花子' });
    alice = await buildMember(h.em.fork(), { status: 'alumni', familyName: '山田', givenName: '太郎', familyNameKana: 'ヤマダ', givenNameKana: 'タロウ' });
    bob = await buildMember(h.em.fork(), { status: 'employee', familyName: '佐藤', givenName: '健', familyNameKana: 'サトウ', givenNameKana: 'ケン' });
  });
  afterAll(() => h.close());

  it('starts a thread, numbers replies and lists them', async () => {
    const boardId = await buildBoard(h.command, operator.viewer);
    const { threadId } = await buildThread(h.command, boardId, alice.viewer, { replies: [{ by: bob.viewer, body: '用語集を最初に渡すと良いですよ @山田太郎' }] });
    const view = await h.query(new GetThreadQuery(bob.viewer, threadId, 1, 'ja'));
    expect(view.posts.map((p) => p.number)).toEqual([1, 2]);
    expect(view.posts[1].html).toContain(`href="/members/${alice.member.id}"`);
    const boards = await h.query(new ListBoardsQuery(alice.viewer, 'ja'));
    expect(boards[0]).toMatchObject({ threadCount: 1, postCount: 2 });
    const threads = await h.query(new ListThreadsQuery(alice.viewer, boardId, 1, 'ja'));
    expect(threads.items[0]).toMatchObject({ replies: 1, lastNumber: 2 });
    const found = await h.query(new SearchForumQuery(bob.viewer, { q: '議事' }, 1, 'ja'));
    expect(found.items.map((i) => i.threadId)).toContain(threadId);
    await h.command(new ReplyToThreadCommand(alice.viewer, threadId, { body: '三つ目' }));
  });
});
