import { ExportDirectoryQuery, ListMembersQuery, type DirectoryExportBatch, type DirectoryExportFilter, type DirectoryExportRow } from '@modules/membership/contracts';
import { MembershipModule } from '@modules/membership/membership.module';
import { Profile } from '@modules/membership/domain/profile.entity';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';
import { buildMember, type BuiltMember } from '../../factories/member.factory';

const KANA = ['アオキ', 'イトウ', 'ウエダ', 'エンドウ', 'オガワ', 'カトウ', 'キムラ', 'クボタ', 'ケンモチ', 'コバヤシ', 'サトウ', 'シミズ', 'スズキ'];

describe('the directory export (Membership, real PostgreSQL)', () => {
  let h: ModuleHarness;
  let admin: BuiltMember;
  let operator: BuiltMember;

  beforeAll(async () => {
    h = await bootModules([MembershipModule]);
    await resetDatabase(h.em);
    admin = await buildMember(h.em.fork(), { status: 'employee', role: 'admin', familyName: '人事', givenName: '花子', familyNameKana: 'ジンジ', givenNameKana: 'ハナコ' });
    operator = await buildMember(h.em.fork(), { status: 'alumni', role: 'operator', familyName: '運営', givenName: '太郎', familyNameKana: 'ウンエイ', givenNameKana: 'タロウ' });
    const statuses = ['alumni', 'employee', 'pending', 'suspended'] as const;
    for (let i = 0; i < 26; i++) {
      await buildMember(h.em.fork(), {
        status: statuses[i % 4],
        email: `member${i}@example.jp`,
        familyName: `家${i}`,
        givenName: i % 3 === 0 ? '花子' : '次郎',
        // Several members share a reading, so the order relies on the given name and then the id.
        familyNameKana: KANA[i % KANA.length],
        givenNameKana: i % 3 === 0 ? 'ハナコ' : 'ジロウ',
        profile: (p: Profile) => {
          p.updateAfterCareer({ currentCompany: i % 5 === 0 ? '株式会社みらい' : null });
          p.updateSkillsAndInterests({ skills: i % 2 ? ['採用', 'Python'] : [], qualifications: [], interests: { business: [], hobby: [], volunteer: [] }, bio: null });
        },
      });
    }
  });
  afterAll(() => h.close());

  /** Every batch, following the cursors. */
  async function exportAll(filter: DirectoryExportFilter, batchSize: number): Promise<{ rows: DirectoryExportRow[]; batches: number }> {
    const rows: DirectoryExportRow[] = [];
    let after: string | null = null;
    let batches = 0;
    do {
      const batch: DirectoryExportBatch = await h.query(new ExportDirectoryQuery(admin.viewer, filter, after, batchSize));
      rows.push(...batch.rows);
      after = batch.next;
      batches++;
      expect(batches).toBeLessThan(100);
    } while (after);
    return { rows, batches };
  }

  async function listAll(filter: DirectoryExportFilter): Promise<string[]> {
    const ids: string[] = [];
    for (let page = 1; ; page++) {
      const result = await h.query(new ListMembersQuery(admin.viewer, filter, page));
      ids.push(...result.items.map((i) => i.memberId));
      if (page >= result.pages) return ids;
    }
  }

  it('is for admins only', async () => {
    await expect(h.query(new ExportDirectoryQuery(operator.viewer))).rejects.toMatchObject({ status: 403 });
  });

  it('walks every member once, in the list\'s kana order, batch by batch', async () => {
    const { rows, batches } = await exportAll({}, 5);
    expect(rows).toHaveLength(28);
    expect(batches).toBe(6);
    expect(new Set(rows.map((r) => r.memberId)).size).toBe(28);
    expect(rows.map((r) => r.memberId)).toEqual(await listAll({}));
  });

  it('ends with a null cursor when the last batch is exactly full', async () => {
    const { rows, batches } = await exportAll({}, 7);
    expect([rows.length, batches]).toEqual([28, 4]);
  });

  it.each<[string, DirectoryExportFilter]>([
    ['status', { status: 'alumni' }],
    ['role', { role: 'operator' }],
    ['keyword in the name', { q: '花子' }],
    ['keyword in the kana, two words', { q: 'サトウ ジロウ' }],
    ['keyword in the e-mail address', { q: 'MEMBER1' }],
    ['keyword and status', { q: 'ハナコ', status: 'employee' }],
    ['nothing matches', { q: 'zzz' }],
  ])('holds exactly the members the list shows for the same filters: %s', async (_, filter) => {
    const { rows } = await exportAll(filter, 4);
    expect(rows.map((r) => r.memberId)).toEqual(await listAll(filter));
  });

  it('carries every column of the export', async () => {
    const { rows } = await exportAll({ q: 'member5@' }, 10);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      familyName: '家5',
      givenName: '次郎',
      familyNameKana: KANA[5],
      givenNameKana: 'ジロウ',
      email: 'member5@example.jp',
      status: 'employee',
      role: 'member',
      lastDepartment: '営業部',
      currentCompany: '株式会社みらい',
      skills: ['採用', 'Python'],
    });
    expect(rows[0].joinedAt).toBeInstanceOf(Date);
  });

  it('refuses a cursor it did not make', async () => {
    await expect(h.query(new ExportDirectoryQuery(admin.viewer, {}, 'bm90LWEtY3Vyc29y'))).rejects.toMatchObject({ status: 400 });
  });
});
