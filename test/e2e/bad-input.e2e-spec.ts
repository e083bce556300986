import { EntityManager } from '@mikro-orm/postgresql';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { MailMessage } from '@libs/mail/mail-message.entity';
import { Invitation } from '@modules/membership/domain/invitation.entity';
import { Member } from '@modules/membership/domain/member.entity';
import { Profile } from '@modules/membership/domain/profile.entity';
import { buildMember, type BuiltMember, type MemberSpec } from '../factories/member.factory';
import { browser, csrfToken, follow, signIn, type Agent } from '../support/http';
import { decode, mainText } from '../support/html';
import { bootWebApp, resetDatabase } from '../support/test-app';

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The messages shown under one form field. */
function fieldError(html: string, name: string): string {
  const block = new RegExp(`id="f-${escapeRe(name)}-error">([\\s\\S]*?)</div>`).exec(html)?.[1];
  if (block === undefined) throw new Error(`No field "${name}" on the page`);
  return decode(block.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).trim();
}

/** The value a text input shows. */
function inputValue(html: string, name: string): string | undefined {
  const input = new RegExp(`<input id="f-${escapeRe(name)}" name="${escapeRe(name)}"[^>]*>`).exec(html)?.[0];
  if (!input) throw new Error(`No input "${name}" on the page`);
  const value = / value="([^"]*)"/.exec(input)?.[1];
  return value === undefined ? undefined : decode(value);
}

function textareaValue(html: string, name: string): string {
  const value = new RegExp(`<textarea id="f-${escapeRe(name)}" name="${escapeRe(name)}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)?.[1];
  if (value === undefined) throw new Error(`No textarea "${name}" on the page`);
  return decode(value);
}

/** The name of the password input of the form posting to /account/email. */
function emailFormPasswordField(html: string): string {
  const form = /<form[^>]*action="\/account\/email"[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1];
  const name = form && /<input[^>]*name="([^"]+)"[^>]*type="password"/.exec(form)?.[1];
  if (!name) throw new Error('No e-mail change form with a password field on /account');
  return name;
}

const APPLY = {
  familyName: '佐藤',
  givenName: '花子',
  familyNameKana: 'サトウ',
  givenNameKana: 'ハナコ',
  email: 'someone@example.jp',
  password: 'hanako-Pass-2026',
  appliedAs: 'alumni',
  lastDepartment: '人事部',
  joinedYear: '2012',
  leftYear: '2020',
  note: '人事部で採用を担当していました。',
};

const BASIC = { familyName: '試験', givenName: '太郎', familyNameKana: 'シケン', givenNameKana: 'タロウ' };

describe('bad input: forms re-render with messages in the member\'s language, never a 500', () => {
  let app: NestExpressApplication;
  let em: EntityManager;
  let origin: string;
  let ipSeq = 0;
  let emailSeq = 0;
  const previousTrustProxy = process.env.TRUST_PROXY;

  /** Each browser comes from its own address (behind the proxy), so per-address rate limits stay out of the way. */
  const agent = (): Agent => {
    ipSeq += 1;
    return browser(app).set('X-Forwarded-For', `10.13.${(ipSeq >> 8) & 255}.${ipSeq & 255}`);
  };
  const uniqueEmail = (name: string) => `${name}-${++emailSeq}@bad-input.example.jp`;

  /**
   * Sends a form from `page` the way a browser does that sends the Referer (same origin): a fresh CSRF token from
   * the page, urlencoded fields.
   */
  async function sendForm(a: Agent, page: string, action: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    const token = await csrfToken(a, page);
    let req = a.post(action).type('form').set('Referer', `${origin}${page}`);
    for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
    return req.send({ _csrf: token, ...fields });
  }

  /** Expects "303 back to the page", follows it and returns the page. */
  async function backTo(a: Agent, res: { status: number; headers: Record<string, string> }, page: string, headers: Record<string, string> = {}) {
    expect({ status: res.status, location: res.headers.location }).toEqual({ status: 303, location: page });
    let req = a.get(res.headers.location);
    for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
    const shown = await req;
    expect(shown.status).toBe(200);
    return shown.text;
  }

  async function signedIn(spec: MemberSpec = { status: 'alumni' }): Promise<{ a: Agent; m: BuiltMember }> {
    const m = await buildMember(em.fork(), { ...spec, email: spec.email ?? uniqueEmail('member') });
    const a = agent();
    await signIn(a, m.email, m.password);
    return { a, m };
  }

  async function invitationToken(email: string): Promise<string> {
    const { a } = await signedIn({ status: 'employee', role: 'operator' });
    const res = await sendForm(a, '/admin/invitations', '/admin/invitations', { email, status: 'alumni', locale: 'ja' });
    expect([res.status, res.headers.location]).toEqual([303, '/admin/invitations']);
    const mail = await em.fork().findOneOrFail(MailMessage, { to: email });
    const token = /\/invitations\/([\w-]+)/.exec(mail.text)?.[1];
    if (!token) throw new Error('No invitation link in the mail');
    return token;
  }

  beforeAll(async () => {
    process.env.TRUST_PROXY = 'true';
    app = await bootWebApp();
    await app.listen(0, '127.0.0.1');
    origin = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    em = app.get(EntityManager);
    await resetDatabase(em);
    await buildMember(em.fork(), { status: 'alumni', email: 'taken@example.jp' });
  });

  afterAll(async () => {
    await app.close();
    if (previousTrustProxy === undefined) delete process.env.TRUST_PROXY;
    else process.env.TRUST_PROXY = previousTrustProxy;
  });

  describe('applying (/apply)', () => {
    it('a registered address: the message at the e-mail field, and everything typed but the password kept', async () => {
      const a = agent();
      const res = await sendForm(a, '/apply', '/apply', { ...APPLY, email: 'Taken@Example.jp' });
      const page = await backTo(a, res, '/apply');
      expect(fieldError(page, 'email')).toBe('このメールアドレスはすでに登録されています。');
      expect(page).toContain('<html lang="ja">');
      expect(inputValue(page, 'email')).toBe('Taken@Example.jp');
      expect(inputValue(page, 'familyName')).toBe('佐藤');
      expect(inputValue(page, 'givenNameKana')).toBe('ハナコ');
      expect(inputValue(page, 'lastDepartment')).toBe('人事部');
      expect(inputValue(page, 'joinedYear')).toBe('2012');
      expect(inputValue(page, 'leftYear')).toBe('2020');
      expect(textareaValue(page, 'note')).toBe('人事部で採用を担当していました。');
      expect(inputValue(page, 'password')).toBeUndefined();
      expect(page).not.toContain(APPLY.password);
      expect(page).toMatch(/<input type="radio" name="appliedAs" value="alumni" checked>/);
      expect(await em.fork().count(Member, { email: 'taken@example.jp' })).toBe(1);
    });

    it('a registered address, in English for a browser that asks for English', async () => {
      const a = agent();
      const en = { 'Accept-Language': 'en-US,en;q=0.9' };
      const res = await sendForm(a, '/apply', '/apply', { ...APPLY, email: 'taken@example.jp' }, en);
      const page = await backTo(a, res, '/apply', en);
      expect(page).toContain('<html lang="en">');
      expect(fieldError(page, 'email')).toBe('This e-mail address is already registered.');
      expect(inputValue(page, 'familyName')).toBe('佐藤');
    });

    it('a registered address, in English after choosing English with the language switcher (kizuna.lang cookie)', async () => {
      const a = agent();
      const token = await csrfToken(a, '/apply');
      const switched = await a.post('/locale').type('form').send({ _csrf: token, locale: 'en', next: '/apply' });
      expect([switched.status, switched.headers.location]).toEqual([303, '/apply']);
      expect(String(switched.headers['set-cookie'])).toMatch(/kizuna\.lang=en/);
      // The browser still asks for Japanese: the chosen language wins.
      const ja = { 'Accept-Language': 'ja' };
      const res = await sendForm(a, '/apply', '/apply', { ...APPLY, email: 'taken@example.jp' }, ja);
      const page = await backTo(a, res, '/apply', ja);
      expect(page).toContain('<html lang="en">');
      expect(fieldError(page, 'email')).toBe('This e-mail address is already registered.');
    });

    it('a weak password', async () => {
      const a = agent();
      const res = await sendForm(a, '/apply', '/apply', { ...APPLY, email: uniqueEmail('weak'), password: 'password' });
      const page = await backTo(a, res, '/apply');
      expect(fieldError(page, 'password')).toBe(
        'パスワードは10文字以上で、英字・数字・記号のうち2種類以上を含めてください（16文字以上なら1種類でも可）。メールアドレスを含むものは使えません。',
      );
      expect(inputValue(page, 'password')).toBeUndefined();
      expect(inputValue(page, 'familyName')).toBe('佐藤');
    });

    it('kanji in a kana field', async () => {
      const a = agent();
      const res = await sendForm(a, '/apply', '/apply', { ...APPLY, email: uniqueEmail('kana'), familyNameKana: '佐藤' });
      const page = await backTo(a, res, '/apply');
      expect(fieldError(page, 'familyNameKana')).toBe('カタカナまたはひらがなで入力してください。');
      expect(fieldError(page, 'givenNameKana')).toBe('');
      expect(inputValue(page, 'familyNameKana')).toBe('佐藤');
    });

    it('a year that is not a number', async () => {
      const a = agent();
      const res = await sendForm(a, '/apply', '/apply', { ...APPLY, email: uniqueEmail('year'), joinedYear: 'abc' });
      const page = await backTo(a, res, '/apply');
      expect(fieldError(page, 'joinedYear')).toBe('整数で入力してください。');
      expect(inputValue(page, 'joinedYear')).toBe('abc');
    });

    it('a year of leaving before the year of joining', async () => {
      const a = agent();
      const res = await sendForm(a, '/apply', '/apply', { ...APPLY, email: uniqueEmail('range'), joinedYear: '2015', leftYear: '2010' });
      const page = await backTo(a, res, '/apply');
      expect(fieldError(page, 'leftYear')).toBe('開始より後の日付を入力してください。');
      expect(inputValue(page, 'joinedYear')).toBe('2015');
      expect(inputValue(page, 'leftYear')).toBe('2010');
    });

    it('a name longer than 50 characters', async () => {
      const a = agent();
      const long = '長'.repeat(51);
      const res = await sendForm(a, '/apply', '/apply', { ...APPLY, email: uniqueEmail('long'), familyName: long });
      const page = await backTo(a, res, '/apply');
      expect(fieldError(page, 'familyName')).toBe('50文字以内で入力してください。');
      expect(inputValue(page, 'familyName')).toBe(long);
    });

    it('an unknown field: the form comes back with a visible message', async () => {
      const a = agent();
      const res = await sendForm(a, '/apply', '/apply', { ...APPLY, email: uniqueEmail('unknown'), role: 'admin' });
      const page = await backTo(a, res, '/apply');
      expect(mainText(page)).toContain('想定されていない項目が送信されました。');
      expect(inputValue(page, 'familyName')).toBe('佐藤');
      expect(await em.fork().count(Member, { role: 'admin' })).toBe(0);
    });

    it('a body over 200 kB brings the form back with the "too large" message, not a 500', async () => {
      const a = agent();
      const token = await csrfToken(a, '/apply');
      const res = await a.post('/apply').type('form').send({ _csrf: token, ...APPLY, note: 'あ'.repeat(100_000) });
      const page = await backTo(a, res, '/apply');
      expect(mainText(page)).toContain('送信されたデータが大きすぎます。サイズを小さくしてもう一度お試しください。');
    });

    it('the "too large" message is in the visitor\'s language on a complete page', async () => {
      const a = agent();
      const token = await csrfToken(a, '/apply');
      const res = await a.post('/apply').type('form').set('Accept-Language', 'en').send({ _csrf: token, ...APPLY, note: 'a'.repeat(250_000) });
      const page = await backTo(a, res, '/apply', { 'Accept-Language': 'en' });
      expect(page).toContain('<html lang="en">');
      expect(mainText(page)).toContain('What you sent is too large. Please make it smaller and try again.');
      expect(page).toContain('<title>Apply to join | Kizuna</title>');
    });
  });

  describe('the profile forms', () => {
    it('an impossible date of birth (2023-02-30)', async () => {
      const { a } = await signedIn();
      const res = await sendForm(a, '/profile/edit', '/profile/basic', { ...BASIC, birthDate: '2023-02-30', location: '札幌市' });
      const page = await backTo(a, res, '/profile/edit');
      expect(fieldError(page, 'birthDate')).toBe('正しい日付を入力してください。');
      expect(inputValue(page, 'birthDate')).toBe('2023-02-30');
      expect(inputValue(page, 'location')).toBe('札幌市');
    });

    it('a year that is not a number, and a year of leaving before the year of joining', async () => {
      const { a, m } = await signedIn();
      const notNumber = await sendForm(a, '/profile/edit', '/profile/basic', { ...BASIC, joinedYear: 'abc' });
      let page = await backTo(a, notNumber, '/profile/edit');
      expect(fieldError(page, 'joinedYear')).toBe('整数で入力してください。');
      expect(inputValue(page, 'joinedYear')).toBe('abc');

      const range = await sendForm(a, '/profile/edit', '/profile/basic', { ...BASIC, joinedYear: '2015', leftYear: '2010' });
      page = await backTo(a, range, '/profile/edit');
      expect(fieldError(page, 'leftYear')).toBe('開始より後の日付を入力してください。');
      expect(inputValue(page, 'leftYear')).toBe('2010');
      expect((await em.fork().findOneOrFail(Profile, { memberId: m.member.id })).joinedYear).toBeNull();
    });

    it('a name longer than 50 characters', async () => {
      const { a } = await signedIn();
      const long = 'x'.repeat(51);
      const res = await sendForm(a, '/profile/edit', '/profile/basic', { ...BASIC, givenName: long });
      const page = await backTo(a, res, '/profile/edit');
      expect(fieldError(page, 'givenName')).toBe('50文字以内で入力してください。');
      expect(inputValue(page, 'givenName')).toBe(long);
    });

    it('messages in English for a member who chose English', async () => {
      const { a, m } = await signedIn();
      const token = await csrfToken(a, '/profile/edit');
      await a.post('/locale').type('form').send({ _csrf: token, locale: 'en', next: '/profile/edit' }).expect(303);
      expect((await em.fork().findOneOrFail(Member, { id: m.member.id })).locale).toBe('en');
      const res = await sendForm(a, '/profile/edit', '/profile/basic', { ...BASIC, birthDate: '2023-02-30', familyNameKana: 'Shiken' });
      const page = await backTo(a, res, '/profile/edit');
      expect(page).toContain('<html lang="en">');
      expect(fieldError(page, 'birthDate')).toBe('Please enter a valid date.');
      expect(fieldError(page, 'familyNameKana')).toBe('Please write the reading in katakana or hiragana.');
    });

    it('a bio of 2001 characters', async () => {
      const { a, m } = await signedIn();
      const bio = 'あ'.repeat(2001);
      const res = await sendForm(a, '/profile/edit', '/profile/skills', { skills: '会計、Python', bio });
      const page = await backTo(a, res, '/profile/edit');
      expect(fieldError(page, 'bio')).toBe('2000文字以内で入力してください。');
      expect(textareaValue(page, 'bio')).toBe(bio);
      expect(inputValue(page, 'skills')).toBe('会計、Python');
      expect((await em.fork().findOneOrFail(Profile, { memberId: m.member.id })).bio).toBeNull();
    });

    it('a career row with an impossible month names its row', async () => {
      const { a } = await signedIn();
      const res = await sendForm(a, '/profile/edit', '/profile/career', {
        'career[0][department]': '営業部',
        'career[0][position]': '',
        'career[0][from]': '2015-13',
        'career[0][to]': '',
      });
      const page = await backTo(a, res, '/profile/edit');
      expect(mainText(page)).toContain('1行目：年月を選んでください。');
    });

    it('a file that is not an image', async () => {
      const { a, m } = await signedIn();
      const token = await csrfToken(a, '/profile/edit');
      const res = await a
        .post(`/profile/photo?_csrf=${encodeURIComponent(token)}`)
        .set('Referer', `${origin}/profile/edit`)
        .attach('photo', Buffer.from('これは写真ではありません'), { filename: 'photo.jpg', contentType: 'image/jpeg' });
      const page = await backTo(a, res, '/profile/edit');
      expect(fieldError(page, 'photo')).toBe('JPEG・PNG・WebP形式の画像を選んでください。');
      expect((await em.fork().findOneOrFail(Profile, { memberId: m.member.id })).photoId).toBeNull();
    });

    it('a photo over 10 MB', async () => {
      const { a, m } = await signedIn();
      const token = await csrfToken(a, '/profile/edit');
      const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0);
      big.set([0xff, 0xd8, 0xff, 0xe0]);
      const res = await a
        .post(`/profile/photo?_csrf=${encodeURIComponent(token)}`)
        .set('Referer', `${origin}/profile/edit`)
        .attach('photo', big, { filename: 'big.jpg', contentType: 'image/jpeg' });
      expect(res.status).not.toBe(500);
      const page = await backTo(a, res, '/profile/edit');
      expect(fieldError(page, 'photo')).toBe('画像は10MB以下にしてください。');
      expect((await em.fork().findOneOrFail(Profile, { memberId: m.member.id })).photoId).toBeNull();
    });
  });

  describe('forms sent by a browser that sends no Referer (privacy settings, or a no-referrer policy)', () => {
    it('a rejected profile form brings the member back to the profile editor with the message', async () => {
      const { a } = await signedIn();
      const token = await csrfToken(a, '/profile/edit');
      const res = await a.post('/profile/basic').type('form').send({ _csrf: token, ...BASIC, birthDate: '2023-02-30' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/profile\/edit(#basic)?$/);
      const page = await follow(a, res);
      expect(page.status).toBe(200);
      expect(fieldError(page.text, 'birthDate')).toBe('正しい日付を入力してください。');
    });

    it('a rejected password change brings the member back to the account page with the message', async () => {
      const { a } = await signedIn();
      const token = await csrfToken(a, '/account');
      const res = await a.post('/account/password').type('form').send({ _csrf: token, currentPassword: 'not-my-password-1', newPassword: 'another-Pass-2026' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/account');
      const page = await follow(a, res);
      expect(page.status).toBe(200);
      expect(fieldError(page.text, 'currentPassword')).toBe('現在のパスワードが正しくありません。');
    });

    it('the apply and sign-in forms come back to themselves', async () => {
      const a = agent();
      const token = await csrfToken(a, '/apply');
      const res = await a.post('/apply').type('form').send({ _csrf: token, ...APPLY, email: 'taken@example.jp' });
      const page = await backTo(a, res, '/apply');
      expect(fieldError(page, 'email')).toBe('このメールアドレスはすでに登録されています。');
    });
  });

  describe('account forms', () => {
    it('a wrong current password, then a weak new password', async () => {
      const { a } = await signedIn();
      const wrong = await sendForm(a, '/account', '/account/password', { currentPassword: 'not-my-password-1', newPassword: 'another-Pass-2026' });
      let page = await backTo(a, wrong, '/account');
      expect(fieldError(page, 'currentPassword')).toBe('現在のパスワードが正しくありません。');
      expect(page).not.toContain('another-Pass-2026');

      const weak = await sendForm(a, '/account', '/account/password', { currentPassword: 'correct-horse-42', newPassword: 'abc' });
      page = await backTo(a, weak, '/account');
      expect(fieldError(page, 'newPassword')).toContain('パスワードは10文字以上で');
    });

    it('the message for a wrong current password shows at the password form only, not also at the e-mail form', async () => {
      const { a } = await signedIn();
      const res = await sendForm(a, '/account', '/account/password', { currentPassword: 'not-my-password-1', newPassword: 'another-Pass-2026' });
      const page = await backTo(a, res, '/account');
      expect(page.split('現在のパスワードが正しくありません。').length - 1).toBe(1);
      expect(page.split('id="f-currentPassword"').length - 1).toBe(1);
    });

    it('a malformed new e-mail address is kept in the form with the message', async () => {
      const { a } = await signedIn();
      const passwordField = emailFormPasswordField((await a.get('/account').expect(200)).text);
      const res = await sendForm(a, '/account', '/account/email', { newEmail: 'hanako@@example', [passwordField]: 'correct-horse-42' });
      const page = await backTo(a, res, '/account');
      expect(fieldError(page, 'newEmail')).toBe('メールアドレスの形式で入力してください。');
      expect(inputValue(page, 'newEmail')).toBe('hanako@@example');
    });

    it('a request for a reset with a malformed address', async () => {
      const a = agent();
      const res = await sendForm(a, '/password-reset', '/password-reset', { email: 'not-an-address' });
      const page = await backTo(a, res, '/password-reset');
      expect(fieldError(page, 'email')).toBe('メールアドレスの形式で入力してください。');
      expect(inputValue(page, 'email')).toBe('not-an-address');
    });
  });

  describe('admin forms', () => {
    it('declining without a reason, and inviting a registered address', async () => {
      const { a } = await signedIn({ status: 'employee', role: 'operator' });
      const applicant = await buildMember(em.fork(), { status: 'pending', email: uniqueEmail('applicant') });
      const page = `/admin/applications/${applicant.member.id}`;
      const decline = await sendForm(a, page, `${page}/decline`, { reason: '' });
      let shown = await backTo(a, decline, page);
      expect(fieldError(shown, 'reason')).toBe('入力してください。');
      expect((await em.fork().findOneOrFail(Member, { id: applicant.member.id })).applicationState).toBe('submitted');

      const invite = await sendForm(a, '/admin/invitations', '/admin/invitations', { email: 'taken@example.jp', status: 'alumni', locale: 'ja', message: 'ようこそ' });
      shown = await backTo(a, invite, '/admin/invitations');
      expect(fieldError(shown, 'email')).toBe('このメールアドレスはすでに登録されています。');
      expect(inputValue(shown, 'email')).toBe('taken@example.jp');
    });

    it('declining with a reason of only spaces is the same as no reason', async () => {
      const { a } = await signedIn({ status: 'employee', role: 'operator' });
      const applicant = await buildMember(em.fork(), { status: 'pending', email: uniqueEmail('applicant') });
      const page = `/admin/applications/${applicant.member.id}`;
      const res = await sendForm(a, page, `${page}/decline`, { reason: '   ' });
      const shown = await backTo(a, res, page);
      expect(fieldError(shown, 'reason')).toBe('入力してください。');
      expect((await em.fork().findOneOrFail(Member, { id: applicant.member.id })).applicationState).toBe('submitted');
    });

    it('making a member an alumnus without the departure date', async () => {
      const { a } = await signedIn({ status: 'employee', role: 'admin' });
      const target = await buildMember(em.fork(), { status: 'employee', email: uniqueEmail('leaver') });
      const page = `/admin/members/${target.member.id}`;
      const res = await sendForm(a, page, `${page}/status`, { status: 'alumni', departedOn: '' });
      const shown = await backTo(a, res, page);
      expect(fieldError(shown, 'departedOn')).toBe('退職日を入力してください。');
      expect((await em.fork().findOneOrFail(Member, { id: target.member.id })).status).toBe('employee');
    });
  });

  describe('links from e-mails', () => {
    it('a used invitation link', async () => {
      const email = uniqueEmail('invitee');
      const token = await invitationToken(email);
      const invitee = agent();
      const accept = await sendForm(invitee, `/invitations/${token}`, `/invitations/${token}`, { familyName: '招待', givenName: '花子', familyNameKana: 'ショウタイ', givenNameKana: 'ハナコ', password: 'invitee-Pass-2026' });
      expect([accept.status, accept.headers.location]).toEqual([303, '/profile/edit']);

      const again = await agent().get(`/invitations/${token}`);
      expect(again.status).toBe(400);
      expect(mainText(again.text)).toContain('この招待リンクはすでに使用されています。ログインしてください。');
    });

    it('an expired invitation link', async () => {
      const email = uniqueEmail('late');
      const token = await invitationToken(email);
      await em.fork().nativeUpdate(Invitation, { email }, { expiresAt: new Date(Date.now() - 60_000) });
      const res = await agent().get(`/invitations/${token}`);
      expect(res.status).toBe(400);
      expect(mainText(res.text)).toContain('この招待リンクは有効期限が切れています。運営事務局に再送を依頼してください。');
    });

    it('accepting an invitation with a weak password keeps the name', async () => {
      const token = await invitationToken(uniqueEmail('weakinvitee'));
      const invitee = agent();
      const res = await sendForm(invitee, `/invitations/${token}`, `/invitations/${token}`, { familyName: '招待', givenName: '次郎', familyNameKana: 'ショウタイ', givenNameKana: 'ジロウ', password: 'short' });
      const page = await backTo(invitee, res, `/invitations/${token}`);
      expect(fieldError(page, 'password')).toContain('パスワードは10文字以上で');
      expect(inputValue(page, 'givenName')).toBe('次郎');
    });

    it('an invalid password-reset link says so when opened, and when sent anyway', async () => {
      const a = agent();
      const opened = await a.get('/password-reset/x');
      expect(opened.status).toBe(400);
      expect(mainText(opened.text)).toContain('このリンクは無効か、有効期限が切れています。もう一度お手続きください。');
      const res = await sendForm(a, '/password-reset', '/password-reset/x', { password: 'brand-New-pass-2026' });
      expect({ status: res.status, location: res.headers.location }).toEqual({ status: 303, location: '/password-reset/x' });
      const page = await a.get('/password-reset/x');
      expect(page.status).toBe(400);
      expect(mainText(page.text)).toContain('このリンクは無効か、有効期限が切れています。もう一度お手続きください。');
    });

    it('an invalid verification or address-change link', async () => {
      for (const link of ['/verify-email/x', '/account/email/x', `/account/email/${'y'.repeat(300)}`]) {
        const res = await agent().get(link);
        expect(res.status).toBe(400);
        expect(mainText(res.text)).toContain('このリンクは無効か、有効期限が切れています。もう一度お手続きください。');
      }
    });
  });

  describe('the JSON API', () => {
    it('answers malformed JSON with a JSON 400', async () => {
      const { a } = await signedIn();
      const res = await a.post('/api/v1/me').set('Content-Type', 'application/json').send('{"locale": ');
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body).toMatchObject({ statusCode: 400 });
      const anonymous = await agent().post('/api/v1/members/00000000-0000-4000-8000-000000000000').set('Content-Type', 'application/json').send('{oops');
      expect(anonymous.status).toBe(400);
      expect(anonymous.body).toMatchObject({ statusCode: 400 });
    });
  });

  describe('signing in', () => {
    it('a wrong password and an unknown address get the same message, and the address is kept', async () => {
      const m = await buildMember(em.fork(), { status: 'alumni', email: uniqueEmail('signin') });
      const pages: string[] = [];
      for (const email of [m.email, uniqueEmail('nobody')]) {
        const a = agent();
        const res = await sendForm(a, '/login', '/login', { email, password: 'wrong-Pass-2026', next: '/account' });
        const page = await backTo(a, res, '/login');
        expect(mainText(page)).toContain('メールアドレスまたはパスワードが正しくありません。');
        expect(inputValue(page, 'email')).toBe(email);
        expect(page).not.toContain('wrong-Pass-2026');
        pages.push(mainText(page).replace(email, '<email>').replace(/value="[^"]*"/g, ''));
      }
      expect(pages[0]).toBe(pages[1]);
    });

    it('too many attempts for one address: the "try again in about N minutes" message, never a 500', async () => {
      const m = await buildMember(em.fork(), { status: 'alumni', email: uniqueEmail('ratelimited') });
      const a = agent();
      for (let i = 0; i < 8; i++) {
        const res = await sendForm(a, '/login', '/login', { email: m.email, password: `wrong-Pass-${i}` });
        expect([res.status, res.headers.location]).toEqual([303, '/login']);
        await a.get('/login');
      }
      // Over the limit, even the right password is refused for now.
      const res = await sendForm(a, '/login', '/login', { email: m.email, password: m.password });
      const page = await backTo(a, res, '/login');
      expect(mainText(page)).toContain('短時間に多くの操作が行われました。約15分後にもう一度お試しください。');
      expect(inputValue(page, 'email')).toBe(m.email);
      await a.get('/account').expect(303);

      const en = { 'Accept-Language': 'en' };
      const english = await sendForm(a, '/login', '/login', { email: m.email, password: m.password }, en);
      const englishPage = await backTo(a, english, '/login', en);
      expect(mainText(englishPage)).toMatch(/Too many attempts in a short time\. Please try again in about \d+ minutes\./);
    });
  });

  describe('CSRF', () => {
    it('a form sent without its token gets the 403 "form expired" page', async () => {
      const a = agent();
      await a.get('/apply').expect(200);
      const res = await a.post('/apply').type('form').send(APPLY);
      expect(res.status).toBe(403);
      expect(mainText(res.text)).toContain('フォームの有効期限が切れました。ページを再読み込みしてから、もう一度送信してください。');
      const en = await a.post('/apply').type('form').set('Accept-Language', 'en').send(APPLY);
      expect(en.status).toBe(403);
      expect(mainText(en.text)).toContain('This form has expired. Reload the page and send it again.');
    });
  });
});
