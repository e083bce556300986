import { SearchDirectoryQuery } from '@modules/membership/contracts';
import { WALK_THRESHOLD } from '@modules/membership/application/directory/search-directory.handler';
import { DEFAULT_PRIVACY } from '@modules/membership/domain/privacy';
import { MembershipModule } from '@modules/membership/membership.module';
import { Member } from '@modules/membership/domain/member.entity';
import { Profile } from '@modules/membership/domain/profile.entity';
import { demoPerson } from '@modules/membership/demo/demo-people';
import type { Viewer } from '@libs/security/access-policy';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';
import { buildMember } from '../../factories/member.factory';

/** With many matches the directory walks the name order and shows an estimated count. */
describe('member directory with many matches', () => {
  let h: ModuleHarness;
  let viewer: Viewer;
  /** Members whose current employer (a field group they may hide) names ＫＩＺＵＮＡ商事, and who show it to members. */
  const employerShown = new Set<string>();
  const employerHidden = new Set<string>();

  beforeAll(async () => {
    h = await bootModules([MembershipModule]);
    await resetDatabase(h.em);
    viewer = (await buildMember(h.em.fork(), { status: 'alumni' })).viewer;
    const members: Member[] = [];
    const profiles: Profile[] = [];
    for (let i = 0; i < 1200; i++) {
      const p = demoPerson(50_000 + i);
      const member = Member.seeded({ email: p.email, status: p.status, departedOn: p.leftYear ? `${p.leftYear}-03-31` : undefined });
      const profile = new Profile(member.id, { ...p, contactEmail: null });
      profile.updateSkillsAndInterests({ skills: [...p.skills, i % 2 === 0 ? '共通スキル' : 'まれなスキル'], qualifications: [], interests: p.interests, bio: p.bio });
      profile.updateOpenTo({ openToComeback: i % 2 === 0, openToOffers: false, openToSideWork: false });
      if (i % 3 === 0) {
        // Full-width letters in the data; the search types half-width lower case.
        profile.updateAfterCareer({ currentCompany: 'ＫＩＺＵＮＡ商事', currentIndustry: null, currentPosition: null });
        const hidden = i % 6 === 0;
        profile.updatePrivacy({ ...DEFAULT_PRIVACY, currentEmployer: hidden ? 'private' : 'members' });
        (hidden ? employerHidden : employerShown).add(member.id);
      }
      members.push(member);
      profiles.push(profile);
    }
    const em = h.em.fork();
    await em.insertMany(Member, members);
    await em.insertMany(Profile, profiles);
    await em.getConnection().execute('analyze membership.profile');
  });
  afterAll(() => h.close());

  it('lists a wide filter in name order with an estimated count, every row matching the filter', async () => {
    const result = await h.query(new SearchDirectoryQuery(viewer, { skill: '共通スキル' }));
    expect(result.approximate).toBe(true);
    expect(result.total).toBeGreaterThan(400);
    expect(result.total).toBeLessThan(800);
    expect(result.items).toHaveLength(20);
    const kana = result.items.map((i) => `${i.familyNameKana}${i.givenNameKana}`);
    expect(kana).toEqual([...kana].sort());
    for (const item of result.items) expect(item.skills).toContain('共通スキル');

    const page2 = await h.query(new SearchDirectoryQuery(viewer, { skill: '共通スキル' }, 2));
    const ids = new Set(result.items.map((i) => i.memberId));
    expect(page2.items.some((i) => ids.has(i.memberId))).toBe(false);
  });

  it('still counts exactly when few members match', async () => {
    const result = await h.query(new SearchDirectoryQuery(viewer, { q: 'まれなスキル', openTo: ['comeback'] }));
    expect(result.approximate).toBe(false);
    expect(result.total).toBe(0);
  });

  describe('walking with a word', () => {
    const saved = WALK_THRESHOLD.words;
    beforeAll(() => {
      // 400 members carry the word; walking starts above 100 estimated matches for this test.
      WALK_THRESHOLD.words = 100;
    });
    afterAll(() => {
      WALK_THRESHOLD.words = saved;
    });

    it('walks the name order, checks each row against the text it may see, and never shows a hidden match', async () => {
      const result = await h.query(new SearchDirectoryQuery(viewer, { q: 'kizuna商事' }));
      expect(result.approximate).toBe(true);
      expect(result.items).toHaveLength(20);
      for (const item of result.items) {
        expect(employerShown.has(item.memberId)).toBe(true);
        expect(item.currentCompany).toBe('ＫＩＺＵＮＡ商事'); // shown as typed; the search key folds it
      }
      const order = result.items.map((i) => `${i.status}|${i.familyNameKana}${i.givenNameKana}`);
      expect(order).toEqual([...order].sort());
    });

    it('finds the same members by walking as by collecting', async () => {
      const walked: string[] = [];
      for (let page = 1; page <= 12; page++) {
        const result = await h.query(new SearchDirectoryQuery(viewer, { q: 'ｋｉｚｕｎａ商事', sort: 'name' }, page));
        expect(result.approximate).toBe(true);
        walked.push(...result.items.map((i) => i.memberId));
        if (result.items.length < 20) break;
      }
      expect(new Set(walked)).toEqual(employerShown);
      WALK_THRESHOLD.words = saved;
      const collected = await h.query(new SearchDirectoryQuery(viewer, { q: 'kizuna商事' }));
      expect(collected.approximate).toBe(false);
      expect(collected.total).toBe(employerShown.size);
      WALK_THRESHOLD.words = 100;
    });
  });
});
