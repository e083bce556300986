import { ListAttendeesQuery, ListEventsQuery, RegisterForEventCommand } from '@modules/events/contracts';
import { EventsModule } from '@modules/events/events.module';
import { ExportDirectoryQuery, ListMembersQuery, SearchDirectoryQuery } from '@modules/membership/contracts';
import { MembershipModule } from '@modules/membership/membership.module';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';
import { buildMember, type BuiltMember } from '../../factories/member.factory';
import { buildEvent } from '../../factories/event.factory';

/**
 * Variant kanji find each other in every search: the directory, the HR member list (and so its CSV export, which
 * shares its conditions), event keywords and check-in — whichever of the forms is stored and whichever is typed.
 */
describe('variant kanji in every search (real PostgreSQL)', () => {
  let h: ModuleHarness;
  let viewer: BuiltMember;
  let operator: BuiltMember;
  let admin: BuiltMember;
  let eventId: string;

  const PEOPLE: [string, string, string, string][] = [
    ['髙橋', '一郎', 'タカハシ', 'イチロウ'],
    ['高橋', '二郎', 'タカハシ', 'ジロウ'],
    ['山﨑', '花子', 'ヤマサキ', 'ハナコ'],
    ['山崎', '次郎', 'ヤマザキ', 'ジロウ'],
    ['渡辺', '一', 'ワタナベ', 'ハジメ'],
    ['渡邉', '二三', 'ワタナベ', 'フミ'],
    ['渡邊', '三', 'ワタナベ', 'サン'],
    ['斎藤', '一', 'サイトウ', 'ハジメ'],
    ['齋藤', '二', 'サイトウ', 'ジ'],
    ['齊藤', '三', 'サイトウ', 'ゾウ'],
    ['佐藤', '健', 'サトウ', 'ケン'],
  ];

  beforeAll(async () => {
    h = await bootModules([EventsModule, MembershipModule]);
    await resetDatabase(h.em);
    viewer = await buildMember(h.em.fork(), { status: 'alumni', familyName: '閲覧', givenName: '者', familyNameKana: 'エツラン', givenNameKana: 'シャ' });
    operator = await buildMember(h.em.fork(), { status: 'employee', role: 'operator', familyName: '運営', givenName: '者', familyNameKana: 'ウンエイ', givenNameKana: 'シャ' });
    admin = await buildMember(h.em.fork(), { status: 'employee', role: 'admin', familyName: '人事', givenName: '者', familyNameKana: 'ジンジ', givenNameKana: 'シャ' });
    const people: BuiltMember[] = [];
    for (const [familyName, givenName, familyNameKana, givenNameKana] of PEOPLE) {
      people.push(await buildMember(h.em.fork(), { status: 'alumni', familyName, givenName, familyNameKana, givenNameKana }));
    }
    const event = await buildEvent(h.em.fork(), { title: '渡邊さんと山﨑さんの送別会', capacity: 50, createdBy: operator.member.id });
    eventId = event.id;
    for (const p of people) await h.command(new RegisterForEventCommand(p.viewer, eventId));
  });
  afterAll(() => h.close());

  const directory = async (q: string) =>
    (await h.query(new SearchDirectoryQuery(viewer.viewer, { q }))).items.map((i) => `${i.familyName}${i.givenName}`).sort();
  const hrList = async (q: string) => (await h.query(new ListMembersQuery(admin.viewer, { q }))).items.map((i) => i.displayName.replace(/\s+/g, '')).sort();
  const hrExport = async (q: string) =>
    (await h.query(new ExportDirectoryQuery(admin.viewer, { q }))).rows.map((r) => `${r.familyName}${r.givenName}`).sort();
  const checkIn = async (q: string) =>
    (await h.query(new ListAttendeesQuery(operator.viewer, eventId, 'ja', q))).attendees.map((a) => a.displayName.replace(/\s+/g, '')).sort();

  const TAKAHASHI = ['高橋二郎', '髙橋一郎'];
  const YAMAZAKI = ['山崎次郎', '山﨑花子'];
  const WATANABE = ['渡辺一', '渡邉二三', '渡邊三'];
  const SAITO = ['斎藤一', '齊藤三', '齋藤二'];

  it.each([
    ['高橋', TAKAHASHI],
    ['髙橋', TAKAHASHI],
    ['山崎', YAMAZAKI],
    ['山﨑', YAMAZAKI],
    ['渡辺', WATANABE],
    ['渡邉', WATANABE],
    ['渡邊', WATANABE],
    ['斎藤', SAITO],
    ['齋藤', SAITO],
    ['齊藤', SAITO],
  ])('the directory, the HR member list, its CSV export and check-in find every form for %s', async (q, expected) => {
    const sorted = [...expected].sort();
    expect(await directory(q)).toEqual(sorted);
    expect(await hrList(q)).toEqual(sorted);
    expect(await hrExport(q)).toEqual(sorted);
    expect(await checkIn(q)).toEqual(sorted);
  });

  it('filters the directory by a location stored as typed (full-width), whatever the width typed in the filter', async () => {
    await buildMember(h.em.fork(), {
      status: 'alumni',
      familyName: '港',
      givenName: '太郎',
      profile: (p) => p.updateBasicInfo({ familyName: '港', givenName: '太郎', familyNameKana: 'ミナト', givenNameKana: 'タロウ', location: 'ＮＹ　Ｍａｎｈａｔｔａｎ' }),
    });
    for (const location of ['NY Manhattan', 'ＮＹ　Ｍａｎｈａｔｔａｎ']) {
      const found = await h.query(new SearchDirectoryQuery(viewer.viewer, { location }));
      expect(found.items.map((i) => `${i.familyName}${i.givenName}`)).toEqual(['港太郎']);
    }
  });

  it('keeps common characters that are distinct apart: 佐藤 does not find the 斎藤s, nor 斉藤 find 斎藤', async () => {
    expect(await directory('佐藤')).toEqual(['佐藤健']);
    expect(await directory('斉藤')).toEqual([]);
  });

  it('finds an event by a keyword written in another form, showing the title as written', async () => {
    for (const q of ['渡辺', '山崎 送別会']) {
      const page = await h.query(new ListEventsQuery(viewer.viewer, { q }));
      expect(page.items.map((i) => i.title)).toEqual(['渡邊さんと山﨑さんの送別会']);
    }
  });
});
