import { EntityManager } from '@mikro-orm/postgresql';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { MailMessage } from '@libs/mail/mail-message.entity';
import { Member } from '@modules/membership/domain/member.entity';
import { buildMember, type BuiltMember } from '../factories/member.factory';
import { browser, csrfToken, follow, signIn, submit, type Agent } from '../support/http';
import { mainText } from '../support/html';
import { bootWebApp, resetDatabase } from '../support/test-app';

const APPLICANT = {
  familyName: '佐藤',
  givenName: '花子',
  familyNameKana: 'さとう',
  givenNameKana: 'はなこ',
  email: 'hanako.journey@example.jp',
  password: 'hanako-Pass-2026',
  appliedAs: 'alumni',
  lastDepartment: '人事部',
  joinedYear: '2012',
  leftYear: '2020',
  note: '人事部で採用を担当していました。',
};

/**
 * The key journey over HTTP: apply → confirm the address → approval by an operator → profile → what others see →
 * suspension.
 */
describe('membership journey', () => {
  let app: NestExpressApplication;
  let em: EntityManager;
  let ipSeq = 0;
  let operator: BuiltMember;
  let admin: BuiltMember;
  let colleague: BuiltMember;
  let applicantId: string;
  let applicantAgent: Agent;
  const previousTrustProxy = process.env.TRUST_PROXY;

  /** Each browser comes from its own address (behind the proxy), so per-address rate limits stay out of the way. */
  const agent = (): Agent => {
    ipSeq += 1;
    return browser(app).set('X-Forwarded-For', `10.12.${(ipSeq >> 8) & 255}.${ipSeq & 255}`);
  };

  beforeAll(async () => {
    process.env.TRUST_PROXY = 'true';
    app = await bootWebApp();
    em = app.get(EntityManager);
    await resetDatabase(em);
    operator = await buildMember(em.fork(), { status: 'employee', role: 'operator', familyName: '運営', givenName: '京子', email: 'operator.journey@example.jp' });
    admin = await buildMember(em.fork(), { status: 'employee', role: 'admin', familyName: '人事', givenName: '部長', email: 'admin.journey@example.jp' });
    colleague = await buildMember(em.fork(), { status: 'alumni', familyName: '田中', givenName: '一郎', email: 'colleague.journey@example.jp' });
  });

  afterAll(async () => {
    await app.close();
    if (previousTrustProxy === undefined) delete process.env.TRUST_PROXY;
    else process.env.TRUST_PROXY = previousTrustProxy;
  });

  it('a visitor applies and sees that the application was received', async () => {
    const visitor = agent();
    const form = await visitor.get('/apply').expect(200);
    expect(mainText(form.text)).toContain('入会申請');

    const res = await submit(visitor, '/apply', APPLICANT, '/apply');
    expect([res.status, res.headers.location]).toEqual([303, '/apply/sent']);
    const sent = await follow(visitor, res);
    expect(sent.status).toBe(200);
    expect(mainText(sent.text)).toContain('申請を受け付けました');
    expect(mainText(sent.text)).toContain('ご入力のメールアドレスに確認メールをお送りしました。');

    // The applicant is signed in and sees that the address still needs confirming.
    const home = mainText((await visitor.get('/').expect(200)).text);
    expect(home).toContain('入会申請の状況');
    expect(home).toContain('hanako.journey@example.jp');
    expect(home).toContain('確認メールを再送する');

    const member = await em.fork().findOneOrFail(Member, { email: APPLICANT.email });
    expect(member).toMatchObject({ status: 'pending', applicationState: 'submitted', appliedAs: 'alumni', locale: 'ja' });
    expect(member.emailVerifiedAt).toBeFalsy();
    applicantId = member.id;
    applicantAgent = visitor;
  });

  it('the link in the verification mail confirms the address', async () => {
    const mail = await em.fork().findOneOrFail(MailMessage, { to: APPLICANT.email, template: 'membership/verify-email' });
    const link = /http:\/\/kizuna\.test(\/verify-email\/[\w-]+)/.exec(mail.text)?.[1];
    expect(link).toBeDefined();

    const res = await applicantAgent.get(link!);
    expect([res.status, res.headers.location]).toEqual([303, '/']);
    const home = mainText((await follow(applicantAgent, res)).text);
    expect(home).toContain('メールアドレスを確認しました。');
    expect(home).toContain('運営事務局が申請を確認しています。結果はメールでお知らせします。');
    expect((await em.fork().findOneOrFail(Member, { id: applicantId })).emailVerifiedAt).toBeTruthy();

    // The link works once.
    const again = await agent().get(link!);
    expect(again.status).toBe(400);
    expect(mainText(again.text)).toContain('このリンクは無効か、有効期限が切れています。');
  });

  it('an operator finds the application in the console and approves it', async () => {
    const op = agent();
    await signIn(op, operator.email, operator.password);

    const list = await op.get('/admin/applications').expect(200);
    const listText = mainText(list.text);
    expect(listText).toContain('佐藤 花子');
    expect(listText).toContain('サトウ ハナコ');
    expect(listText).toContain(APPLICANT.email);
    expect(listText).toContain('確認済み');
    expect(list.text).toContain(`href="/admin/applications/${applicantId}"`);

    const detail = await op.get(`/admin/applications/${applicantId}`).expect(200);
    expect(mainText(detail.text)).toContain('人事部で採用を担当していました。');
    expect(detail.text).toContain(`action="/admin/applications/${applicantId}/approve"`);

    const res = await submit(op, `/admin/applications/${applicantId}/approve`, {}, `/admin/applications/${applicantId}`);
    expect([res.status, res.headers.location]).toEqual([303, '/admin/applications']);
    const after = mainText((await follow(op, res)).text);
    expect(after).toContain('申請を承認しました。');
    expect(after).toContain('審査待ちの申請はありません。');

    const approved = mainText((await op.get('/admin/applications?state=approved').expect(200)).text);
    expect(approved).toContain('佐藤 花子');
    expect(approved).toContain(APPLICANT.email);
    expect(await em.fork().findOneOrFail(Member, { id: applicantId })).toMatchObject({ status: 'alumni', applicationState: 'approved', decidedBy: operator.member.id });
  });

  it('the approved applicant signs in and fills in the profile', async () => {
    const me = agent();
    await signIn(me, APPLICANT.email, APPLICANT.password);
    applicantAgent = me;
    const home = mainText((await me.get('/').expect(200)).text);
    expect(home).toContain('佐藤 花子 さん、こんにちは');

    const basic = await submit(me, '/profile/basic', {
      familyName: '佐藤',
      givenName: '花子',
      familyNameKana: 'サトウ',
      givenNameKana: 'ハナコ',
      romajiName: 'Hanako Sato',
      birthDate: '1988-07-14',
      lastDepartment: '人事部',
      lastPosition: '課長',
      joinedYear: '2012',
      leftYear: '2020',
      contactEmail: 'hanako.private@example.net',
      contactPhone: '090-1234-5678',
      location: '東京都世田谷区',
    }, '/profile/edit');
    expect([basic.status, basic.headers.location]).toEqual([303, '/profile/edit#basic']);
    expect(mainText((await follow(me, basic)).text)).toContain('保存しました。');

    const career = await submit(me, '/profile/career', {
      'career[0][department]': '営業部',
      'career[0][position]': '',
      'career[0][from]': '2012-04',
      'career[0][to]': '2015-03',
      'career[1][department]': '人事部',
      'career[1][position]': '課長',
      'career[1][from]': '2015-04',
      'career[1][to]': '2020-03',
      'career[2][department]': '',
      'career[2][position]': '',
      'career[2][from]': '',
      'career[2][to]': '',
      currentCompany: '株式会社ひかりコンサルティング',
      currentIndustry: '人材サービス',
      currentPosition: 'シニアコンサルタント',
    }, '/profile/edit');
    expect([career.status, career.headers.location]).toEqual([303, '/profile/edit#career']);

    const skills = await submit(me, '/profile/skills', {
      skills: '採用面接、労務管理、Excel',
      'qualifications[0][name]': '社会保険労務士',
      'qualifications[0][year]': '2016',
      interestsBusiness: '人的資本経営、HRテック',
      interestsHobby: '登山',
      interestsVolunteer: '',
      bio: '人事部で8年間、新卒採用と労務を担当しました。現在は人事コンサルタントとして働いています。',
      openToComeback: 'on',
      openToSideWork: 'on',
    }, '/profile/edit');
    expect([skills.status, skills.headers.location]).toEqual([303, '/profile/edit#skills']);

    const privacy = await submit(me, '/profile/privacy', { contact: 'operators', birthDate: 'private', career: 'members', currentEmployer: 'private' }, '/profile/edit');
    expect([privacy.status, privacy.headers.location]).toEqual([303, '/profile/edit#privacy']);

    const edit = await me.get('/profile/edit').expect(200);
    expect(edit.text).toContain('value="採用面接、労務管理、Excel"');
    expect(edit.text).toContain('value="hanako.private@example.net"');
    expect(edit.text).toMatch(/<option value="operators" selected>/);

    // The owner sees everything on their own profile.
    const own = await me.get('/profile');
    expect([own.status, own.headers.location]).toEqual([303, `/members/${applicantId}`]);
    const ownText = mainText((await follow(me, own)).text);
    expect(ownText).toContain('hanako.private@example.net');
    expect(ownText).toContain('株式会社ひかりコンサルティング');
    expect(ownText).toContain('ほかの会員には、公開設定で許可した項目だけが表示されます。');
  });

  it('another member sees the name, skills and bio but not the contact details nor the current employer', async () => {
    const other = agent();
    await signIn(other, colleague.email, colleague.password);
    const page = await other.get(`/members/${applicantId}`).expect(200);
    const text = mainText(page.text);
    expect(text).toContain('佐藤 花子');
    expect(text).toContain('サトウ ハナコ');
    expect(text).toContain('Hanako Sato');
    for (const skill of ['採用面接', '労務管理', 'Excel']) expect(page.text).toContain(`<li>${skill}</li>`);
    expect(text).toContain('社会保険労務士');
    expect(text).toContain('人事部で8年間、新卒採用と労務を担当しました。');
    expect(text).toContain('カムバック（再入社）に関心あり');
    expect(text).toContain('営業部'); // career is shared with all members
    expect(text).toContain('この項目は本人の公開設定により表示されません。');

    for (const hidden of ['hanako.private@example.net', '090-1234-5678', '株式会社ひかりコンサルティング', 'シニアコンサルタント', '1988', APPLICANT.email]) {
      expect(page.text).not.toContain(hidden);
    }

    // The JSON API applies the same filter.
    const api = await other.get(`/api/v1/members/${applicantId}`).expect(200);
    expect(api.body).toMatchObject({ familyName: '佐藤', skills: ['採用面接', '労務管理', 'Excel'], isSelf: false });
    expect(api.body.contact).toBeUndefined();
    expect(api.body.currentEmployer).toBeUndefined();
    expect(api.body.birthDate).toBeUndefined();
    expect(api.body.hidden).toEqual(expect.arrayContaining(['contact', 'birthDate', 'currentEmployer']));
  });

  it('an operator sees the contact details (shared with the office) but not the private current employer', async () => {
    const op = agent();
    await signIn(op, operator.email, operator.password);
    const page = await op.get(`/members/${applicantId}`).expect(200);
    const text = mainText(page.text);
    expect(text).toContain('hanako.private@example.net');
    expect(text).toContain('090-1234-5678');
    expect(page.text).not.toContain('株式会社ひかりコンサルティング');
    expect(text).toContain('この項目は本人の公開設定により表示されません。');
  });

  it('an admin suspends the member: their open session ends and signing in again shows the suspended message', async () => {
    // The member is signed in and using the site.
    await applicantAgent.get('/profile/edit').expect(200);

    const hr = agent();
    await signIn(hr, admin.email, admin.password);
    const memberPage = await hr.get(`/admin/members/${applicantId}`).expect(200);
    expect(memberPage.text).toContain(`action="/admin/members/${applicantId}/suspend"`);
    const res = await submit(hr, `/admin/members/${applicantId}/suspend`, { reason: '登録内容の確認のため' }, `/admin/members/${applicantId}`);
    expect([res.status, res.headers.location]).toEqual([303, `/admin/members/${applicantId}`]);
    const after = mainText((await follow(hr, res)).text);
    expect(after).toContain('利用を停止しました。');
    expect(after).toContain('登録内容の確認のため');

    // The next request in the member's existing session is treated as signed out.
    const next = await applicantAgent.get('/profile/edit');
    expect([next.status, next.headers.location]).toEqual([303, '/login?next=%2Fprofile%2Fedit']);
    const api = await applicantAgent.get('/api/v1/me');
    expect(api.status).toBe(401);
    const home = mainText((await applicantAgent.get('/').expect(200)).text);
    expect(home).not.toContain('佐藤 花子 さん、こんにちは');

    // Signing in again is refused with the suspended message; the typed address is kept.
    const token = await csrfToken(applicantAgent, '/login');
    const login = await applicantAgent.post('/login').type('form').send({ _csrf: token, email: APPLICANT.email, password: APPLICANT.password });
    expect([login.status, login.headers.location]).toEqual([303, '/login']);
    const page = await follow(applicantAgent, login);
    expect(page.status).toBe(200);
    expect(mainText(page.text)).toContain('このアカウントは利用停止中です。運営事務局にお問い合わせください。');
    expect(page.text).toContain(`value="${APPLICANT.email}"`);
    expect(page.text).not.toContain(APPLICANT.password);
    await applicantAgent.get('/account').expect(303);

    // Other members no longer find the profile.
    const other = agent();
    await signIn(other, colleague.email, colleague.password);
    await other.get(`/members/${applicantId}`).expect(404);
  });
});
