import type { NestExpressApplication } from '@nestjs/platform-express';
import { EntityManager } from '@mikro-orm/postgresql';
import { buildMember } from '../factories/member.factory';
import { mainText } from '../support/html';
import { browser, follow, signIn, submit, type Agent } from '../support/http';
import { bootWebApp, resetDatabase } from '../support/test-app';

describe('member directory page (/members)', () => {
  let app: NestExpressApplication;
  let agent: Agent;
  let meId: string;

  beforeAll(async () => {
    app = await bootWebApp();
    const em = () => app.get(EntityManager).fork();
    await resetDatabase(em());
    const me = await buildMember(em(), { status: 'alumni', email: 'searcher@example.jp', familyName: '検索', givenName: '者', familyNameKana: 'ケンサク', givenNameKana: 'シャ' });
    await buildMember(em(), {
      status: 'alumni',
      familyName: '田中',
      givenName: '美咲',
      familyNameKana: 'タナカ',
      givenNameKana: 'ミサキ',
      profile: (p) => {
        p.updateBasicInfo({ familyName: '田中', givenName: '美咲', familyNameKana: 'タナカ', givenNameKana: 'ミサキ', lastDepartment: '人事部', leftYear: 2020 });
        p.updateSkillsAndInterests({ skills: ['採用<script>'], qualifications: [], interests: { business: [], hobby: [], volunteer: [] }, bio: null });
      },
    });
    await buildMember(em(), {
      status: 'alumni',
      familyName: '髙橋',
      givenName: '一郎',
      familyNameKana: 'タカハシ',
      givenNameKana: 'イチロウ',
      profile: (p) => p.updateBasicInfo({ familyName: '髙橋', givenName: '一郎', familyNameKana: 'タカハシ', givenNameKana: 'イチロウ', lastDepartment: '㈱キズナ 第Ⅱ営業部' }),
    });
    meId = me.member.id;
    agent = browser(app);
    await signIn(agent, me.email, me.password);
  });
  afterAll(() => app.close());

  it('finds a member by a two-character word and marks the match, escaping what members typed', async () => {
    const res = await agent.get('/members?q=' + encodeURIComponent('人事')).expect(200);
    expect(mainText(res.text)).toContain('田中 美咲');
    expect(res.text).toContain('<mark>人事</mark>部');
    expect(res.text).toContain('採用&lt;script&gt;');
    expect(res.text).not.toContain('採用<script>');
  });

  it('finds the same person typed in hiragana and marks the katakana reading', async () => {
    const res = await agent.get('/members?q=' + encodeURIComponent('たなか')).expect(200);
    expect(res.text).toContain('<mark>タナカ</mark>');
  });

  it('finds 髙橋 by 高橋 and marks the characters as stored, showing ㈱ and Ⅱ as written', async () => {
    for (const q of ['高橋', '髙橋', 'たかはし']) {
      const res = await agent.get('/members?q=' + encodeURIComponent(q)).expect(200);
      expect(mainText(res.text)).toContain('髙橋 一郎');
      expect(mainText(res.text)).toContain('㈱キズナ 第Ⅱ営業部');
      if (q !== 'たかはし') expect(res.text).toContain('<mark>髙橋</mark>');
    }
    const department = await agent.get('/members?q=' + encodeURIComponent('(株)キズナ 第II')).expect(200);
    expect(department.text).toContain('<mark>㈱キズナ</mark>');
  });

  it('keeps a profile edited through the form exactly as typed, and finds it by the folded forms', async () => {
    const typed = { familyName: '山﨑', givenName: 'ﾊﾅｺ', familyNameKana: 'ヤマサキ', givenNameKana: 'ハナコ', lastDepartment: '㈱ｶﾌﾞｼｷｶﾞｲｼｬ 第Ⅱ部', lastPosition: '①担当', location: '東京都　港区' };
    const saved = await submit(agent, '/profile/basic', typed, '/profile/edit');
    expect(saved.status).toBe(303);
    await follow(agent, saved);
    const profile = mainText((await agent.get(`/members/${meId}`).expect(200)).text);
    expect(profile).toContain('山﨑 ﾊﾅｺ');
    expect(profile).toContain('㈱ｶﾌﾞｼｷｶﾞｲｼｬ 第Ⅱ部 · ①担当');
    const form = (await agent.get('/profile/edit').expect(200)).text;
    for (const [field, value] of Object.entries(typed)) expect(form).toContain(`name="${field}" type="text" value="${value}"`);
    const found = await agent.get('/members?q=' + encodeURIComponent('山崎 かぶしきがいしゃ')).expect(200);
    expect(mainText(found.text)).toContain('山﨑 ﾊﾅｺ');
    expect(found.text).toContain('<mark>山﨑</mark>');
  });

  it('says so when nothing matches, in English too', async () => {
    const ja = await agent.get('/members?q=' + encodeURIComponent('該当なし')).expect(200);
    expect(mainText(ja.text)).toContain('条件に合う会員は見つかりませんでした。');
    const en = await agent.get('/members?q=zzzz').set('Cookie', 'kizuna.lang=en').expect(200);
    expect(mainText(en.text)).toContain('No members match.');
  });

  it('answers impossible filters with a clear page, never a 500', async () => {
    for (const query of ['leftYear=abc', 'sort=cheapest', 'openTo=everything', 'page=0', `q=${'あ'.repeat(101)}`]) {
      const res = await agent.get(`/members?${query}`);
      expect([query, res.status]).toEqual([query, 400]);
      expect(mainText(res.text)).toContain('リクエストを処理できませんでした');
    }
  });
});
