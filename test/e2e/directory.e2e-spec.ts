import type { NestExpressApplication } from '@nestjs/platform-express';
import { EntityManager } from '@mikro-orm/postgresql';
import { buildMember } from '../factories/member.factory';
import { mainText } from '../support/html';
import { browser, signIn, type Agent } from '../support/http';
import { bootWebApp, resetDatabase } from '../support/test-app';

describe('member directory page (/members)', () => {
  let app: NestExpressApplication;
  let agent: Agent;

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
