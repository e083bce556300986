import { GetDirectoryFacetsQuery, SearchDirectoryQuery, type DirectoryFilter } from '@modules/membership/contracts';
import { MembershipModule } from '@modules/membership/membership.module';
import type { Viewer } from '@libs/security/access-policy';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';
import { buildMember, type BuiltMember } from '../../factories/member.factory';

/** Directory search on real PostgreSQL: Japanese text, filters, ordering and privacy. */
describe('member directory search', () => {
  let h: ModuleHarness;
  let viewer: Viewer;
  let employeeViewer: Viewer;
  let operatorViewer: Viewer;
  let suzuki: BuiltMember;

  const names = async (filter: DirectoryFilter, who: Viewer = viewer) =>
    (await h.query(new SearchDirectoryQuery(who, filter))).items.map((i) => `${i.familyName}${i.givenName}`).sort();

  beforeAll(async () => {
    h = await bootModules([MembershipModule]);
    await resetDatabase(h.em);
    const em = () => h.em.fork();
    viewer = (await buildMember(em(), { status: 'alumni', familyName: '閲覧', givenName: '者', familyNameKana: 'エツラン', givenNameKana: 'シャ' })).viewer;
    employeeViewer = (await buildMember(em(), { status: 'employee', familyName: '社員', givenName: '一', familyNameKana: 'シャイン', givenNameKana: 'ハジメ' })).viewer;
    operatorViewer = (await buildMember(em(), { status: 'employee', role: 'operator', familyName: '運営', givenName: '二', familyNameKana: 'ウンエイ', givenNameKana: 'ニ' })).viewer;
    await buildMember(em(), {
      status: 'alumni',
      familyName: '田中',
      givenName: '美咲',
      familyNameKana: 'タナカ',
      givenNameKana: 'ミサキ',
      profile: (p) => {
        p.updateBasicInfo({ familyName: '田中', givenName: '美咲', familyNameKana: 'タナカ', givenNameKana: 'ミサキ', romajiName: 'Misaki Tanaka', lastDepartment: '人事部', lastPosition: '課長', leftYear: 2020, location: '東京都渋谷区' });
        p.updateSkillsAndInterests({ skills: ['採用', 'TypeScript'], qualifications: [{ name: '社会保険労務士', year: 2015 }], interests: { business: ['新規事業'], hobby: ['登山'], volunteer: [] }, bio: '人事部長として採用を担当しました。' });
        p.updateAfterCareer({ currentCompany: '株式会社ミライテック', currentIndustry: 'IT', currentPosition: 'CHRO' });
        p.updateOpenTo({ openToComeback: true, openToOffers: false, openToSideWork: true });
        p.updatePrivacy({ ...p.privacy, currentEmployer: 'employees', career: 'members' });
      },
    });
    await buildMember(em(), {
      status: 'employee',
      familyName: '佐藤',
      givenName: '健太',
      familyNameKana: 'サトウ',
      givenNameKana: 'ケンタ',
      profile: (p) => {
        p.updateBasicInfo({ familyName: '佐藤', givenName: '健太', familyNameKana: 'サトウ', givenNameKana: 'ケンタ', lastDepartment: '営業部', location: '大阪府大阪市' });
        p.replaceCareer([{ department: '人事部', position: '主任', from: '2012-04', to: '2016-03' }, { department: '営業部', position: '課長', from: '2016-04', to: null }]);
        p.updateSkillsAndInterests({ skills: ['法人営業'], qualifications: [], interests: { business: [], hobby: ['料理'], volunteer: ['子ども食堂'] }, bio: null });
        p.updatePrivacy({ ...p.privacy, career: 'private' });
      },
    });
    suzuki = await buildMember(em(), {
      status: 'alumni',
      familyName: '鈴木',
      givenName: '大翔',
      familyNameKana: 'スズキ',
      givenNameKana: 'ヒロト',
      profile: (p) => {
        p.updateBasicInfo({ familyName: '鈴木', givenName: '大翔', familyNameKana: 'スズキ', givenNameKana: 'ヒロト', romajiName: 'Hiroto Suzuki', lastDepartment: '開発本部', leftYear: 2022 });
        p.updateSkillsAndInterests({ skills: ['データ分析', 'TypeScript'], qualifications: [], interests: { business: ['スタートアップ投資'], hobby: [], volunteer: [] }, bio: 'エンジニアとして採用システムを作っていました。' });
      },
    });
    await buildMember(em(), { status: 'pending', familyName: '申請', givenName: '中', familyNameKana: 'シンセイ', givenNameKana: 'チュウ' });
    await buildMember(em(), { status: 'suspended', familyName: '停止', givenName: '人事', familyNameKana: 'テイシ', givenNameKana: 'ジンジ' });
  });
  afterAll(() => h.close());

  it('finds a two-character word inside longer text (人事 in 人事部 and in a bio)', async () => {
    expect(await names({ q: '人事' })).toEqual(['田中美咲']);
  });

  it('treats hiragana, katakana, half-width and full-width input alike', async () => {
    for (const q of ['たなか', 'タナカ', 'ﾀﾅｶ', 'ＴＡＮＡＫＡ', 'tanaka', 'Tanaka']) expect([q, await names({ q })]).toEqual([q, ['田中美咲']]);
  });

  it('needs every word to match somewhere (AND), in any field', async () => {
    expect(await names({ q: '採用 typescript' })).toEqual(['田中美咲', '鈴木大翔']);
    expect(await names({ q: '採用 登山' })).toEqual(['田中美咲']);
    expect(await names({ q: '採用 料理' })).toEqual([]);
  });

  it('does not match letters that are merely present, not adjacent', async () => {
    expect(await names({ q: '人部' })).toEqual([]);
  });

  it('never lets a field hidden from the viewer make a member match', async () => {
    // 佐藤's career (人事部 until 2016) is private: an ordinary member does not find him by it.
    expect(await names({ q: '主任' })).toEqual([]);
    expect(await names({ q: '主任' }, operatorViewer)).toEqual([]);
    // 田中's current employer is for employees and the office only.
    expect(await names({ q: 'ミライテック' })).toEqual([]);
    expect(await names({ q: 'ミライテック' }, employeeViewer)).toEqual(['田中美咲']);
    expect(await names({ q: 'ミライテック' }, operatorViewer)).toEqual(['田中美咲']);
    const entry = (await h.query(new SearchDirectoryQuery(viewer, { q: 'たなか' }))).items[0];
    expect(entry.currentCompany).toBeNull();
    const forEmployee = (await h.query(new SearchDirectoryQuery(employeeViewer, { q: 'たなか' }))).items[0];
    expect(forEmployee.currentCompany).toBe('株式会社ミライテック');
  });

  it('lists only approved members: applicants and suspended members never appear', async () => {
    expect(await names({ q: '申請' })).toEqual([]);
    expect(await names({ q: '停止' })).toEqual([]);
    expect((await h.query(new SearchDirectoryQuery(viewer, {}))).total).toBe(6);
  });

  it('filters by status, department, year left, skill, interest, location and open-to flags', async () => {
    expect(await names({ status: 'employee', q: '法人営業' })).toEqual(['佐藤健太']);
    expect(await names({ status: 'alumni', q: '法人営業' })).toEqual([]);
    expect(await names({ department: '開発本部' })).toEqual(['鈴木大翔']);
    expect(await names({ leftYear: 2020 })).toEqual(['田中美咲']);
    expect(await names({ skill: 'ｔｙｐｅｓｃｒｉｐｔ' })).toEqual(['田中美咲', '鈴木大翔']);
    expect(await names({ skill: 'TypeScript', status: 'alumni', leftYear: 2022 })).toEqual(['鈴木大翔']);
    expect(await names({ interest: '子ども食堂' })).toEqual(['佐藤健太']);
    expect(await names({ location: '大阪' })).toEqual(['佐藤健太']);
    expect(await names({ openTo: ['comeback', 'sideWork'] })).toEqual(['田中美咲']);
  });

  it('ranks name matches first, and sorts by kana or by newest on request', async () => {
    const byRelevance = await h.query(new SearchDirectoryQuery(viewer, { q: 'すずき' }));
    expect(byRelevance.items[0].memberId).toBe(suzuki.member.id);
    const byName = await h.query(new SearchDirectoryQuery(viewer, { sort: 'name' }));
    const kana = byName.items.map((i) => i.familyNameKana);
    expect(kana).toEqual([...kana].sort());
    const recent = await h.query(new SearchDirectoryQuery(viewer, { sort: 'recent' }));
    expect(recent.items[0].memberId).toBe(suzuki.member.id);
  });

  it('pages results with the total and treats LIKE wildcards as text', async () => {
    const all = await h.query(new SearchDirectoryQuery(viewer, { sort: 'name' }, 1));
    expect(all).toMatchObject({ total: 6, page: 1, pages: 1 });
    expect(await names({ q: '%' })).toEqual([]);
    expect(await names({ q: '_' })).toEqual([]);
  });

  it('refuses viewers who are not approved members', async () => {
    const pending = { ...viewer, status: 'pending' as const };
    await expect(h.query(new SearchDirectoryQuery(pending, {}))).rejects.toMatchObject({ status: 403 });
  });

  it('counts departments and skills of listed members only in the filter choices', async () => {
    const hidden = await buildMember(h.em.fork(), {
      status: 'alumni',
      familyName: '非掲載',
      givenName: '三',
      familyNameKana: 'ヒケイサイ',
      givenNameKana: 'サン',
      profile: (p) => {
        p.updateBasicInfo({ familyName: '非掲載', givenName: '三', familyNameKana: 'ヒケイサイ', givenNameKana: 'サン', lastDepartment: '秘書室' });
        p.updateSkillsAndInterests({ skills: ['速記', 'TypeScript'], qualifications: [], interests: { business: [], hobby: [], volunteer: [] }, bio: null });
      },
    });
    await h.em.fork().execute('update membership.profile set listed = false where member_id = ?', [hidden.viewer.memberId]);
    const facets = await h.query(new GetDirectoryFacetsQuery(viewer));
    expect(facets.departments.map((d) => d.name)).toEqual(expect.arrayContaining(['人事部', '営業部', '開発本部']));
    expect(facets.departments.map((d) => d.name)).not.toContain('秘書室');
    expect(facets.skills.map((s) => s.name)).not.toContain('速記');
    // TypeScript: 田中 and 鈴木 (listed), not the unlisted member.
    expect(facets.skills.find((s) => s.name === 'TypeScript')?.count).toBe(2);
  });
});
