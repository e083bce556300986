import type { NestExpressApplication } from '@nestjs/platform-express';
import { CommandBus } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { RequestContext } from '@mikro-orm/core';
import { RegisterForEventCommand } from '@modules/events/contracts';
import type { Profile } from '@modules/membership/domain/profile.entity';
import { Notification } from '@modules/notifications/domain/notification.entity';
import { buildEvent } from '../factories/event.factory';
import { buildMember, type BuiltMember } from '../factories/member.factory';
import { browser, signIn, type Agent } from '../support/http';
import { mainText } from '../support/html';
import { bootWebApp, resetDatabase } from '../support/test-app';

/** The home page for each kind of viewer: what each one sees, and what they must not. */
describe('home page by viewer', () => {
  let app: NestExpressApplication;
  let em: EntityManager;
  const people: Record<'pending' | 'employee' | 'alumnus' | 'operator' | 'admin', BuiltMember> = {} as never;

  beforeAll(async () => {
    app = await bootWebApp();
    em = app.get(EntityManager);
    await resetDatabase(em);
    const dept = (d: string, joined: number, left: number | null) => (p: Profile) =>
      p.updateBasicInfo({ familyName: p.familyName, givenName: p.givenName, familyNameKana: p.familyNameKana, givenNameKana: p.givenNameKana, lastDepartment: d, joinedYear: joined, leftYear: left });
    people.pending = await buildMember(em.fork(), { status: 'pending', familyName: '申請', givenName: '中子' });
    people.employee = await buildMember(em.fork(), { status: 'employee', familyName: '在籍', givenName: '一郎', profile: dept('開発本部', 2015, null) });
    people.alumnus = await buildMember(em.fork(), { status: 'alumni', familyName: '卒業', givenName: '美咲', profile: dept('営業部', 2008, 2020) });
    people.operator = await buildMember(em.fork(), { status: 'alumni', role: 'operator', familyName: '運営', givenName: '太郎', profile: dept('広報部', 2001, 2019) });
    people.admin = await buildMember(em.fork(), { status: 'employee', role: 'admin', familyName: '人事', givenName: '花子', profile: dept('人事部', 2005, null) });
    // Joined lately in the alumnus's department: one listed, one suspended, one still applying.
    await buildMember(em.fork(), { status: 'alumni', familyName: '新人', givenName: '営業', profile: dept('営業部', 2012, 2024) });
    await buildMember(em.fork(), { status: 'suspended', familyName: '停止', givenName: '営業', profile: dept('営業部', 2012, 2024) });
    await buildMember(em.fork(), { status: 'pending', familyName: '申請', givenName: '営業', profile: dept('営業部', 2012, 2024) });

    await buildEvent(em.fork(), { title: 'みんなの交流会', visibility: 'public', inDays: 3 });
    await buildEvent(em.fork(), { title: '社員限定の勉強会', visibility: 'employees', inDays: 4 });
    await buildEvent(em.fork(), { title: 'アルムナイ限定の懇親会', visibility: 'alumni', inDays: 5 });
    await buildEvent(em.fork(), { title: '準備中の下書き', visibility: 'members', state: 'draft', inDays: 2 });
    const full = await buildEvent(em.fork(), { title: '満席のオフィスツアー', visibility: 'members', inDays: 6, capacity: 1 });
    const commands = app.get(CommandBus);
    await RequestContext.create(em.fork(), () => commands.execute(new RegisterForEventCommand(people.employee.viewer, full.id)));
    await RequestContext.create(em.fork(), () => commands.execute(new RegisterForEventCommand(people.alumnus.viewer, full.id)));

    await em.fork().persist(new Notification({ memberId: people.alumnus.member.id, kind: 'registration-promoted', params: { title: '秋祭り', startsAt: '2027-01-15T10:00:00.000Z' }, link: '/events', dedupeKey: 'home-e2e-1' })).flush();
  });
  afterAll(() => app.close());

  async function homeOf(who: keyof typeof people, lang = 'ja'): Promise<string> {
    const a: Agent = browser(app);
    await signIn(a, people[who].email, people[who].password);
    const res = await a.get('/').set('Accept-Language', lang).expect(200);
    return res.text;
  }

  it('shows visitors the public welcome and no member block', async () => {
    const html = (await browser(app).get('/').expect(200)).text;
    expect(html).toContain('class="hero"');
    expect(html).not.toContain('home-block');
    expect(mainText(html)).not.toContain('みんなの交流会');
  });

  it('shows applicants only their application', async () => {
    const html = await homeOf('pending');
    expect(mainText(html)).toContain('入会申請の状況');
    expect(html).not.toContain('home-block');
    expect(mainText(html)).not.toContain('みんなの交流会');
  });

  it('shows an alumnus their blocks: no employee-only event, their waitlist place, their notification, new members near them', async () => {
    const html = await homeOf('alumnus');
    const text = mainText(html);
    for (const key of ['profile', 'notifications', 'events', 'recent-members']) expect(html).toContain(`data-block="${key}"`);
    expect(html).not.toContain('data-block="admin-todo"');
    expect(text).toContain('みんなの交流会');
    expect(text).toContain('アルムナイ限定の懇親会');
    expect(text).not.toContain('社員限定の勉強会');
    expect(text).not.toContain('準備中の下書き');
    expect(text).toContain('申し込み中のイベント');
    expect(text).toContain('キャンセル待ち 1 番目');
    expect(text).toContain('秋祭り');
    expect(text).toContain('新人 営業');
    expect(text).not.toContain('停止 営業');
    expect(text).not.toContain('申請 営業');
    expect(text).toMatch(/\d+% 入力済み/);
    expect(html).toContain('href="/profile/edit#photo"');
    expect(html).toContain('href="/account"');
    expect(html).not.toContain('href="/admin"');
  });

  it('shows an employee employee-only events and their confirmed place, not alumni-only ones', async () => {
    const html = await homeOf('employee');
    expect(html).not.toContain('data-block="admin-todo"');
    const text = mainText(html);
    expect(text).toContain('社員限定の勉強会');
    expect(text).not.toContain('アルムナイ限定の懇親会');
    expect(text).toContain('参加確定');
    expect(text).toContain('未読のお知らせはありません。');
  });

  it('gives operators and admins the admin link, in English too', async () => {
    const operator = await homeOf('operator', 'en');
    expect(operator).toContain('href="/admin"');
    expect(operator).toContain('data-block="admin-todo"');
    expect(mainText(operator)).toContain('2 applications wait for a decision');
    expect(mainText(operator)).toContain('Upcoming events');
    expect(mainText(operator)).toContain('New members near you');
    expect(mainText(operator)).not.toContain('準備中の下書き');
    const admin = await homeOf('admin');
    expect(admin).toContain('href="/admin"');
    expect(admin).toContain('data-block="profile"');
    expect(mainText(admin)).toContain('承認待ちの入会申請が 2 件あります');
  });
});
