import { EntityManager } from '@mikro-orm/postgresql';
import { RequestContext } from '@mikro-orm/core';
import { CommandBus, type Command } from '@nestjs/cqrs';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { IntegrationEvent } from '@libs/outbox/integration-event';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { runOnce } from '@libs/outbox/run-once';
import { ModerationEvents } from '@modules/moderation/contracts';
import { ApplyModerationOnDecidedHandler } from '@modules/networking/application/moderation.handlers';
import { buildBoard, buildThread } from '../factories/forum.factory';
import { buildMember, type BuiltMember } from '../factories/member.factory';
import { mainText } from '../support/html';
import { browser, follow, signIn, submit, type Agent } from '../support/http';
import { bootWebApp, resetDatabase } from '../support/test-app';

/**
 * The moderation queue over HTTP: members report a post through the API, three reports hide it, the HR console's
 * queue shows the case, an operator keeps it, and once the worker has handled `moderation.decided` it shows again.
 */
describe('moderation queue in the HR console', () => {
  let app: NestExpressApplication;
  let em: EntityManager;
  let operator: BuiltMember;
  let author: BuiltMember;
  let reporters: BuiltMember[];
  let bystander: BuiltMember;
  const agents = {} as Record<'operator' | 'bystander', Agent>;
  let threadId: string;
  let postId: string;
  const ran = new Set<string>();

  const run = <R>(command: Command<R>): Promise<R> => RequestContext.create(em.fork(), () => app.get(CommandBus).execute(command));

  /** What the worker does with the decisions waiting in the outbox: Networking hides or shows the post, once each. */
  async function runWorker(): Promise<number> {
    const handler = app.get(ApplyModerationOnDecidedHandler, { strict: false });
    let handled = 0;
    for (const row of await em.fork().find(OutboxMessage, { name: ModerationEvents.decided }, { orderBy: { createdAt: 'asc' } })) {
      if (ran.has(row.id)) continue;
      ran.add(row.id);
      const event = row.payload as unknown as IntegrationEvent;
      await RequestContext.create(em.fork(), () => runOnce(em, `${ApplyModerationOnDecidedHandler.name}:${event.eventId}`, (tx) => handler.handle(event as never, tx)));
      handled++;
    }
    return handled;
  }

  async function signedIn(member: BuiltMember): Promise<Agent> {
    const agent = browser(app);
    await signIn(agent, member.email, member.password);
    return agent;
  }
  /** The post as a member reads it through the API. */
  const postAsMember = async () => ((await agents.bystander.get(`/api/v1/forum/threads/${threadId}`).expect(200)).body.posts as { id: string; hidden: boolean; html: string }[]).find((p) => p.id === postId)!;

  beforeAll(async () => {
    app = await bootWebApp();
    em = app.get(EntityManager);
    await resetDatabase(em);
    operator = await buildMember(em.fork(), { status: 'employee', role: 'operator', familyName: '運営', givenName: '花子' });
    author = await buildMember(em.fork(), { status: 'alumni', familyName: '高橋', givenName: '誠', familyNameKana: 'タカハシ', givenNameKana: 'マコト' });
    reporters = [
      await buildMember(em.fork(), { status: 'employee', familyName: '佐藤', givenName: '健' }),
      await buildMember(em.fork(), { status: 'alumni', familyName: '鈴木', givenName: '葵' }),
      await buildMember(em.fork(), { status: 'alumni', familyName: '田中', givenName: '翔' }),
    ];
    bystander = await buildMember(em.fork(), { status: 'alumni', familyName: '伊藤', givenName: '結衣' });
    agents.operator = await signedIn(operator);
    agents.bystander = await signedIn(bystander);
    const boardId = await buildBoard(run, operator.viewer);
    ({ threadId, postId } = await buildThread(run, boardId, author.viewer, { title: '転職の相談', body: '前職の同僚の連絡先を載せておきます。' }));
  }, 60_000);
  afterAll(() => app.close());

  it('hides a post reported by three different members until an operator decides', async () => {
    const reasons = ['個人の連絡先が書かれています', '本人の同意がなさそうです', '削除をお願いします'];
    for (const [i, reporter] of reporters.entries()) {
      const agent = await signedIn(reporter);
      const { csrfToken } = (await agent.get('/api/v1/me').expect(200)).body as { csrfToken: string };
      const res = await agent.post(`/api/v1/forum/posts/${postId}/reports`).set('X-CSRF-Token', csrfToken).send({ reason: reasons[i] }).expect(201);
      expect(res.body.hidden).toBe(i === 2);
      // A second report of the same member counts once.
      if (i === 0) expect((await agent.post(`/api/v1/forum/posts/${postId}/reports`).set('X-CSRF-Token', csrfToken).send({ reason: 'もう一度' }).expect(201)).body.hidden).toBe(false);
    }
    expect(await postAsMember()).toMatchObject({ hidden: true, html: '' });
    const page = mainText((await agents.bystander.get(`/forum/t/${threadId}`).expect(200)).text);
    expect(page).not.toContain('前職の同僚の連絡先');
    expect(page).toContain('この投稿は運営により非表示になっています。');
    // Operators still read it, to review it.
    const asOperator = (await agents.operator.get(`/api/v1/forum/threads/${threadId}`).expect(200)).body.posts[0];
    expect(asOperator).toMatchObject({ hidden: true });
    expect(asOperator.html).toContain('前職の同僚の連絡先');
  });

  it('shows the case in the queue with its three reports, reporters, the excerpt, and links to the post and the author', async () => {
    const res = await agents.operator.get('/admin/moderation').expect(200);
    const text = mainText(res.text);
    expect(text).toContain('確認待ち 1件');
    expect(text).toContain('通報 3人');
    expect(text).toContain('非表示中');
    expect(text).toContain('前職の同僚の連絡先を載せておきます。');
    for (const reason of ['個人の連絡先が書かれています', '本人の同意がなさそうです', '削除をお願いします']) expect(text).toContain(reason);
    for (const name of ['佐藤 健', '鈴木 葵', '田中 翔']) expect(text).toContain(name);
    expect(text).not.toContain('もう一度');
    expect(res.text).toContain(`href="/forum/p/${postId}"`);
    expect(res.text).toContain(`href="/admin/moderation/members/${author.member.id}"`);
    expect(text).toContain('高橋 誠');
    expect(res.text).toContain('action="/admin/moderation/decide"');
    // The console's menu leads here.
    expect(res.text).toMatch(/<a href="\/admin\/moderation" aria-current="page">/);
    // In English for an operator who reads English.
    const en = mainText((await agents.operator.get('/admin/moderation').set('Accept-Language', 'en').expect(200)).text);
    expect(en).toContain('Reporters: 3');
  });

  it('sends a decision with a note that is too long back to the queue with the message under its case', async () => {
    const res = await submit(agents.operator, '/admin/moderation/decide', { subjectType: 'forum-post', subjectId: postId, decision: 'keep', note: 'あ'.repeat(1001) }, '/admin/moderation');
    expect([res.status, res.headers.location]).toEqual([303, '/admin/moderation']);
    const page = mainText((await follow(agents.operator, res)).text);
    expect(page).toContain('1000文字以内で入力してください。');
    expect(page).toContain('確認待ち 1件');
    const bad = await submit(agents.operator, '/admin/moderation/decide', { subjectType: 'forum-post', subjectId: postId, decision: 'maybe' }, '/admin/moderation');
    expect(bad.status).toBe(303);
    expect(mainText((await follow(agents.operator, bad)).text)).toContain('選択肢から選んでください。');
    expect(await em.fork().execute('select 1 from moderation.decision')).toEqual([]);
  });

  it('keeps the post: the queue empties, and once the worker has handled the decision the post shows again', async () => {
    const res = await submit(agents.operator, '/admin/moderation/decide', { subjectType: 'forum-post', subjectId: postId, decision: 'keep', note: '本人が公開している連絡先でした' }, '/admin/moderation');
    expect([res.status, res.headers.location]).toEqual([303, '/admin/moderation']);
    const page = mainText((await follow(agents.operator, res)).text);
    expect(page).toContain('表示したままにしました。');
    expect(page).toContain('確認待ちの通報はありません。');

    // Networking hears of the decision through the outbox.
    expect(await postAsMember()).toMatchObject({ hidden: true });
    expect(await runWorker()).toBe(1);
    const shown = await postAsMember();
    expect(shown.hidden).toBe(false);
    expect(shown.html).toContain('前職の同僚の連絡先を載せておきます。');
    expect(mainText((await agents.bystander.get(`/forum/t/${threadId}`).expect(200)).text)).toContain('前職の同僚の連絡先を載せておきます。');
    // Delivered again, nothing changes.
    expect(await runWorker()).toBe(0);
  });

  it('records the decision in the audit log', async () => {
    const rows = await em.fork().execute<{ actor_id: string; detail: Record<string, unknown> }[]>(`select actor_id, detail from privacy.audit_event where action = 'moderation.decided'`);
    expect(rows).toHaveLength(1);
    expect(rows[0].actor_id).toBe(operator.member.id);
    expect(rows[0].detail).toMatchObject({ subjectType: 'forum-post', subjectId: postId, decision: 'keep', note: '本人が公開している連絡先でした', closedReports: 3 });
  });

  it("shows the author's history: the reports and the decision with its note", async () => {
    const text = mainText((await agents.operator.get(`/admin/moderation/members/${author.member.id}`).expect(200)).text);
    expect(text).toContain('高橋 誠 さんの投稿への通報と対応');
    expect(text).toContain('運営 花子 が対応： 問題なし（表示する）');
    expect(text).toContain('本人が公開している連絡先でした');
    expect(text).toContain('佐藤 健 が通報');
    expect(text).toContain('個人の連絡先が書かれています');
    await agents.operator.get('/admin/moderation/members/not-a-member').expect(404);
    expect(mainText((await agents.operator.get(`/admin/moderation/members/${bystander.member.id}`).expect(200)).text)).toContain('記録はありません。');
  });

  it('is for operators only: 403 for a member, the sign-in page for a visitor', async () => {
    await agents.bystander.get('/admin/moderation').expect(403);
    await agents.bystander.get(`/admin/moderation/members/${author.member.id}`).expect(403);
    const decide = await submit(agents.bystander, '/admin/moderation/decide', { subjectType: 'forum-post', subjectId: postId, decision: 'hide' }, '/');
    expect(decide.status).toBe(403);
    expect(await em.fork().execute<unknown[]>('select 1 from moderation.decision')).toHaveLength(1);
    const visitor = await browser(app).get('/admin/moderation');
    expect([visitor.status, visitor.headers.location]).toEqual([303, '/login?next=%2Fadmin%2Fmoderation']);
  });
});
