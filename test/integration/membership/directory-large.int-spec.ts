import { SearchDirectoryQuery, type DirectoryFilter } from '@modules/membership/contracts';
import { plainDirectoryQuery } from '@modules/membership/application/directory/plain-directory-query';
import { DIRECTORY_PLAN } from '@modules/membership/application/directory/search-directory.handler';
import { DEFAULT_PRIVACY } from '@modules/membership/domain/privacy';
import { MembershipModule } from '@modules/membership/membership.module';
import { Member } from '@modules/membership/domain/member.entity';
import { Profile } from '@modules/membership/domain/profile.entity';
import { demoPerson } from '@modules/membership/demo/demo-people';
import type { Viewer } from '@libs/security/access-policy';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';
import { buildMember } from '../../factories/member.factory';

/**
 * Many matches: counted on a sample, the page walked or collected — always the members and the order the plain query
 * (every row checked, no index) gives.
 */
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
  }, 60_000);
  afterAll(() => h.close());

  /** The page and the count the plain query (every row checked, no index) gives. */
  const plain = async (filter: DirectoryFilter, page = 1) => {
    const q = plainDirectoryQuery(viewer, filter);
    const rows = await h.em.fork().execute<{ member_id: string }[]>(`select pr.member_id ${q.from} order by ${q.orderBy} limit 20 offset ?`, [...q.params, ...q.orderParams, (page - 1) * 20]);
    const [count] = await h.em.fork().execute<{ n: string }[]>(`select count(*) as n ${q.from}`, q.params);
    return { ids: rows.map((r) => r.member_id), total: Number(count.n) };
  };
  const search = async (filter: DirectoryFilter, page = 1) => h.query(new SearchDirectoryQuery(viewer, filter, page));

  it('counts exactly below 1,000 matches, and lists them in the plain query order', async () => {
    for (const filter of [{ skill: '共通スキル' }, { q: '共通スキル' }, { q: '共通スキル 東京' }, { q: '共通スキル', status: 'alumni' as const, location: '東京' }]) {
      const result = await search(filter);
      const expected = await plain(filter);
      expect([filter, result.approximate, result.total]).toEqual([filter, false, expected.total]);
      expect(result.items.map((i) => i.memberId)).toEqual(expected.ids);
    }
  });

  it('still counts exactly when few members match', async () => {
    const result = await search({ q: 'まれなスキル', openTo: ['comeback'] });
    expect(result.approximate).toBe(false);
    expect(result.total).toBe(0);
  });

  describe('many matches (thresholds lowered for 1,200 members)', () => {
    const saved = { ...DIRECTORY_PLAN };
    beforeAll(() => {
      // Counted on a sample once 100 sampled members match; walked when 50 or more matches are left to walk.
      DIRECTORY_PLAN.sampleHits = 100;
      DIRECTORY_PLAN.walkAbove = 50;
    });
    afterAll(() => Object.assign(DIRECTORY_PLAN, saved));

    it('pages a popular word in the plain query order (pages 1 and 3), with a sampled count', async () => {
      for (const page of [1, 3]) {
        const result = await search({ q: '共通スキル' }, page);
        const expected = await plain({ q: '共通スキル' }, page);
        expect(result.approximate).toBe(true);
        expect(result.items.map((i) => i.memberId)).toEqual(expected.ids);
        // 600 match; the 1-in-4 sample holds about 150 of them: the scaled count is near, not exact.
        expect(Math.abs(result.total - expected.total) / expected.total).toBeLessThan(0.25);
      }
    });

    it('two common words, a word with two filters, and the name and newest orders agree with the plain query', async () => {
      const filters: DirectoryFilter[] = [
        { q: '共通スキル 東京' },
        { q: '共通スキル', status: 'alumni', openTo: ['comeback'] },
        { q: '共通スキル', sort: 'name' },
        { q: '共通スキル', sort: 'recent' },
        { skill: '共通スキル', openTo: ['comeback'] },
      ];
      for (const filter of filters) {
        for (const page of [1, 3]) {
          const result = await search(filter, page);
          const expected = await plain(filter, page);
          expect([filter, page, result.items.map((i) => i.memberId)]).toEqual([filter, page, expected.ids]);
        }
      }
    });

    it('puts name matches first for relevance, then the others in kana order', async () => {
      // A family name common in the data: name matches outnumber a page.
      const family = (await search({ sort: 'name' })).items[0].familyName;
      for (const page of [1, 2]) {
        const result = await search({ q: family }, page);
        const expected = await plain({ q: family }, page);
        expect(result.items.map((i) => i.memberId)).toEqual(expected.ids);
      }
    });

    it('a word in many names and other fields: name matches, then the walk, across the boundary between them', async () => {
      // 田 is in many family names (田中, 山田, 吉田…) and in places (千代田区, 世田谷区).
      DIRECTORY_PLAN.sampleHits = 5;
      try {
        const q = plainDirectoryQuery(viewer, { q: '田' });
        const [named] = await h.em.fork().execute<{ n: string }[]>(`select count(*) as n ${q.from} and pr.search_name like '%田%'`, q.params);
        const boundary = Math.floor(Number(named.n) / 20) + 1;
        expect(Number(named.n)).toBeGreaterThan(20);
        for (const page of [1, 3, boundary, boundary + 1]) {
          const result = await search({ q: '田' }, page);
          const expected = await plain({ q: '田' }, page);
          expect(result.approximate).toBe(true);
          expect([page, result.items.map((i) => i.memberId)]).toEqual([page, expected.ids]);
        }
      } finally {
        DIRECTORY_PLAN.sampleHits = 100;
      }
    });

    it('never shows a match in a field the member hides, walking or collecting', async () => {
      const walked: string[] = [];
      for (let page = 1; page <= 12; page++) {
        const result = await search({ q: 'ｋｉｚｕｎａ商事', sort: 'name' }, page);
        for (const item of result.items) expect(item.currentCompany).toBe('ＫＩＺＵＮＡ商事'); // shown as typed; the search key folds it
        walked.push(...result.items.map((i) => i.memberId));
        if (result.items.length < 20) break;
      }
      expect(new Set(walked)).toEqual(employerShown);
      Object.assign(DIRECTORY_PLAN, saved);
      const collected = await search({ q: 'kizuna商事' });
      expect(collected.approximate).toBe(false);
      expect(collected.total).toBe(employerShown.size);
      DIRECTORY_PLAN.sampleHits = 100;
      DIRECTORY_PLAN.walkAbove = 50;
    });

    it('leaves out members who are not listed, from results and counts', async () => {
      const before = await plain({ q: '共通スキル' });
      const hidden = before.ids.slice(0, 3);
      await h.em.fork().execute(`update membership.profile set listed = false where member_id in (?)`, [hidden]);
      try {
        const result = await search({ q: '共通スキル' });
        expect(result.items.some((i) => hidden.includes(i.memberId))).toBe(false);
        Object.assign(DIRECTORY_PLAN, saved);
        const exact = await search({ q: '共通スキル' });
        expect(exact.total).toBe(before.total - 3);
        expect((await search({ skill: '共通スキル' })).items.some((i) => hidden.includes(i.memberId))).toBe(false);
      } finally {
        DIRECTORY_PLAN.sampleHits = 100;
        DIRECTORY_PLAN.walkAbove = 50;
        await h.em.fork().execute(`update membership.profile set listed = true where member_id in (?)`, [hidden]);
      }
    });
  });
});
