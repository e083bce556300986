import { randomUUID } from 'node:crypto';
import type { MemberRole, MemberStatus, Viewer } from '@libs/security/access-policy';
import { ListEventsQuery, RegisterForEventCommand, type EventListFilter } from '@modules/events/contracts';
import { EventsModule } from '@modules/events/events.module';
import { MembershipModule } from '@modules/membership/membership.module';
import { buildEvent } from '../../factories/event.factory';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';

/** The event list on real PostgreSQL: tabs, order, filters, Japanese keywords and visibility. */
describe('event list and search', () => {
  let h: ModuleHarness;
  const who = (status: MemberStatus, role: MemberRole = 'member'): Viewer => ({ memberId: randomUUID(), status, role, displayName: 'x', locale: null, sessionVersion: 1 });
  const alumnus = who('alumni');
  const employee = who('employee');
  const operator = who('employee', 'operator');
  const titles = async (filter: EventListFilter, viewer: Viewer | null = alumnus, timeZone = 'Asia/Tokyo') =>
    (await h.query(new ListEventsQuery(viewer, filter, 1, timeZone))).items.map((i) => i.title);

  beforeAll(async () => {
    h = await bootModules([MembershipModule, EventsModule]);
    await resetDatabase(h.em);
    const em = () => h.em.fork();
    await buildEvent(em(), { title: '大阪オフィス見学会', category: 'office-tour', inDays: 20, place: '大阪府大阪市北区梅田', publishedAt: new Date() });
    await buildEvent(em(), { title: '年末懇親会', category: 'party', inDays: 5, description: '**人事部**のメンバーも参加します。' });
    await buildEvent(em(), { title: 'オンライン勉強会：データ分析入門', category: 'seminar', format: 'online', inDays: 10, visibility: 'public' });
    await buildEvent(em(), { title: 'アルムナイ限定ランチ', category: 'party', inDays: 7, visibility: 'alumni' });
    await buildEvent(em(), { title: '社員向け説明会', category: 'seminar', inDays: 8, visibility: 'employees' });
    await buildEvent(em(), { title: '下書きのイベント', inDays: 3, state: 'draft' });
    await buildEvent(em(), { title: '中止になった花見', inDays: 9, state: 'cancelled' });
    await buildEvent(em(), { title: '春のボランティア', category: 'volunteer', inDays: -60 });
    await buildEvent(em(), { title: '夏のファミリーデー', category: 'family-day', inDays: -30 });
    // Starts on 1 December at 00:30 in Tokyo, which is still 30 November in London.
    await buildEvent(em(), { title: '月初の朝会', category: 'online-meetup', format: 'online', startsAt: new Date('2099-11-30T15:30:00Z') });
  });
  afterAll(() => h?.close());

  it('lists upcoming events soonest first, without drafts, with cancelled ones marked', async () => {
    const page = await h.query(new ListEventsQuery(alumnus, {}));
    expect(page.items.map((i) => i.title)).toEqual(['年末懇親会', 'アルムナイ限定ランチ', '中止になった花見', 'オンライン勉強会：データ分析入門', '大阪オフィス見学会', '月初の朝会']);
    expect(page.items.find((i) => i.title === '中止になった花見')?.state).toBe('cancelled');
    expect(page.total).toBe(6);
  });

  it('puts past events on their own tab, newest first', async () => {
    expect(await titles({ tab: 'past' })).toEqual(['夏のファミリーデー', '春のボランティア']);
  });

  it('marks recently published events NEW', async () => {
    const page = await h.query(new ListEventsQuery(alumnus, {}));
    expect(page.items.filter((i) => i.isNew).map((i) => i.title)).toEqual(['大阪オフィス見学会']);
  });

  it('shows each status only the events its visibility allows; visitors see public events only', async () => {
    expect(await titles({}, employee)).not.toContain('アルムナイ限定ランチ');
    expect(await titles({}, employee)).toContain('社員向け説明会');
    expect(await titles({}, alumnus)).not.toContain('社員向け説明会');
    expect(await titles({}, operator)).toEqual(expect.arrayContaining(['アルムナイ限定ランチ', '社員向け説明会']));
    expect(await titles({}, operator)).not.toContain('下書きのイベント');
    expect(await titles({}, null)).toEqual(['オンライン勉強会：データ分析入門']);
    expect(await titles({}, who('pending'))).toEqual(['オンライン勉強会：データ分析入門']);
  });

  it('filters by category and format', async () => {
    expect(await titles({ category: 'seminar' })).toEqual(['オンライン勉強会：データ分析入門']);
    expect(await titles({ format: 'online' })).toEqual(['オンライン勉強会：データ分析入門', '月初の朝会']);
    expect(await titles({ category: 'family-day', tab: 'past' })).toEqual(['夏のファミリーデー']);
  });

  it('filters by month in the viewer’s time zone', async () => {
    expect(await titles({ month: '2099-12' }, alumnus, 'Asia/Tokyo')).toEqual(['月初の朝会']);
    expect(await titles({ month: '2099-11' }, alumnus, 'Asia/Tokyo')).toEqual([]);
    expect(await titles({ month: '2099-11' }, alumnus, 'Europe/London')).toEqual(['月初の朝会']);
  });

  it('finds Japanese keywords inside titles, places and descriptions, width and kana folded', async () => {
    expect(await titles({ q: '大阪' })).toEqual(['大阪オフィス見学会']);
    expect(await titles({ q: '梅田' })).toEqual(['大阪オフィス見学会']);
    expect(await titles({ q: '人事' })).toEqual(['年末懇親会']);
    expect(await titles({ q: 'ﾃﾞｰﾀ分析' })).toEqual(['オンライン勉強会：データ分析入門']);
    expect(await titles({ q: 'ランチ' }, employee)).toEqual([]);
    expect(await titles({ q: '見学 大阪' })).toEqual(['大阪オフィス見学会']);
    expect(await titles({ q: '見学 東京' })).toEqual([]);
  });

  it('lists the viewer’s own registrations on "mine"', async () => {
    const me = who('alumni');
    const all = await h.query(new ListEventsQuery(me, {}));
    const party = all.items.find((i) => i.title === '年末懇親会')!;
    await h.command(new RegisterForEventCommand(me, party.id));
    const mine = await h.query(new ListEventsQuery(me, { tab: 'mine' }));
    expect(mine.items.map((i) => [i.title, i.myState])).toEqual([['年末懇親会', 'confirmed']]);
    expect(await titles({ tab: 'mine' }, null)).toEqual([]);
  });
});
