import { EntityManager } from '@mikro-orm/postgresql';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Member } from '@modules/membership/domain/member.entity';
import { Profile } from '@modules/membership/domain/profile.entity';
import { buildMember, type BuiltMember, type MemberSpec } from '../factories/member.factory';
import { browser, csrfToken, signIn, type Agent } from '../support/http';
import { decode, mainText } from '../support/html';
import { bootWebApp, resetDatabase } from '../support/test-app';

/** Security defaults that hold for every page: control characters, redirects, caching, safe GETs, staff lists. */
describe('security defaults', () => {
  let app: NestExpressApplication;
  let em: EntityManager;
  let ipSeq = 0;
  const previousTrustProxy = process.env.TRUST_PROXY;
  const HOST = '127.0.0.1';

  const agent = (): Agent => {
    ipSeq += 1;
    return browser(app).set('X-Forwarded-For', `10.19.${(ipSeq >> 8) & 255}.${ipSeq & 255}`);
  };

  async function signedIn(spec: MemberSpec = { status: 'alumni' }): Promise<{ a: Agent; m: BuiltMember }> {
    const m = await buildMember(em.fork(), spec);
    const a = agent();
    await signIn(a, m.email, m.password);
    return { a, m };
  }

  const fieldError = (html: string, name: string) => decode(new RegExp(`id="f-${name}-error">([\\s\\S]*?)</div>`).exec(html)?.[1]?.replace(/<[^>]+>/g, ' ') ?? '').replace(/\s+/g, ' ').trim();
  const CONTROL_JA = '目に見えない制御文字（NUL など）が含まれています。取り除いてからもう一度送信してください。';

  beforeAll(async () => {
    process.env.TRUST_PROXY = 'true';
    app = await bootWebApp();
    em = app.get(EntityManager);
    await resetDatabase(em);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    if (previousTrustProxy === undefined) delete process.env.TRUST_PROXY;
    else process.env.TRUST_PROXY = previousTrustProxy;
  });

  describe('control characters are refused where input enters', () => {
    it('in query strings: 400, for members, events and the staff list and its export', async () => {
      const { a } = await signedIn({ status: 'employee', role: 'admin' });
      for (const path of ['/members?q=%00', '/members?skill=%00', '/events?q=%00', '/admin/members?q=%00', '/admin/members/export.csv?q=%00', '/members?q=%C2%85', '/members?q=%7F']) {
        const res = await a.get(path);
        expect([path, res.status]).toEqual([path, 400]);
      }
      // TAB, LF and CR are text.
      expect((await a.get('/members?q=%E4%BA%BA%E4%BA%8B%09')).status).toBe(200);
    });

    it('in a form field: the form comes back with the message at the field, and nothing is saved', async () => {
      const { a, m } = await signedIn();
      const token = await csrfToken(a, '/profile/edit');
      const res = await a.post('/profile/basic').type('form').send({ _csrf: token, familyName: '山\u0000田', givenName: '太郎', familyNameKana: 'ヤマダ', givenNameKana: 'タロウ', location: '札幌' });
      expect([res.status, res.headers.location]).toEqual([303, '/profile/edit']);
      const page = (await a.get('/profile/edit').expect(200)).text;
      expect(fieldError(page, 'familyName')).toBe(CONTROL_JA);
      expect((await em.fork().findOneOrFail(Profile, { memberId: m.member.id })).familyName).toBe('試験');
    });

    it('in a textarea, TAB and line breaks are kept while a lone surrogate is refused (JSON body)', async () => {
      const { a, m } = await signedIn();
      const token = await csrfToken(a, '/profile/edit');
      const ok = await a.post('/profile/skills').set('X-CSRF-Token', token).set('Content-Type', 'application/json').send(JSON.stringify({ skills: '会計', bio: '一行目\r\n\t二行目' }));
      expect(ok.status).toBe(303);
      expect((await em.fork().findOneOrFail(Profile, { memberId: m.member.id })).bio).toBe('一行目\r\n\t二行目');
      const bad = await a.post('/profile/skills').set('X-CSRF-Token', token).set('Content-Type', 'application/json').send(JSON.stringify({ skills: '会計', bio: 'x\ud800' }));
      expect([bad.status, bad.headers.location]).toEqual([303, '/profile/edit']);
      expect(fieldError((await a.get('/profile/edit')).text, 'bio')).toBe(CONTROL_JA);
    });

    it('in the JSON API: a JSON 400 naming the parameter', async () => {
      const { a } = await signedIn();
      const res = await a.get('/api/v1/members/%00');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, fields: { id: [{ key: 'validation.controlCharacters' }] } });
    });

    it('in an application (familyName=山%00田): the form comes back, in English for an English browser', async () => {
      const a = agent().set('Accept-Language', 'en');
      const token = await csrfToken(a, '/apply');
      const res = await a.post('/apply').type('form').send(`_csrf=${encodeURIComponent(token)}&familyName=%E5%B1%B1%00%E7%94%B0&givenName=x&familyNameKana=%E3%82%A2&givenNameKana=%E3%82%A2&email=nul%40example.jp&password=applicant-Pass-2026&appliedAs=alumni`);
      expect([res.status, res.headers.location]).toEqual([303, '/apply']);
      expect(fieldError((await a.get('/apply')).text, 'familyName')).toBe('This contains invisible control characters (such as NUL). Please remove them and send again.');
      expect(await em.fork().count(Member, { email: 'nul@example.jp' })).toBe(0);
    });

    it('in a multipart form: a file name or a field with a control character, and a roster CSV cell', async () => {
      const { a } = await signedIn({ status: 'employee', role: 'admin' });
      const token = await csrfToken(a, '/admin/roster-imports');
      const valid = Buffer.from('社員番号,姓,名,メールアドレス\nE9,名簿,太郎,named@example.jp\n');
      // A raw control character in a part header is refused by the multipart parser itself (400, the form's general
      // message); an encoded file name (RFC 5987 `filename*`) gets through it and is refused by the pipe at the field.
      const boundary = 'kizuna-boundary';
      const multipart = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename*=utf-8''ro%01ster.csv\r\nContent-Type: text/csv\r\n\r\n`),
        valid,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const named = await a.post(`/admin/roster-imports?_csrf=${encodeURIComponent(token)}`).set('Content-Type', `multipart/form-data; boundary=${boundary}`).send(multipart);
      expect([named.status, named.headers.location]).toEqual([303, '/admin/roster-imports']);
      expect(mainText((await a.get('/admin/roster-imports').expect(200)).text)).toContain(CONTROL_JA);
      // The same file under a plain name is previewed.
      const plain = await a.post(`/admin/roster-imports?_csrf=${encodeURIComponent(token)}`).attach('file', valid, { filename: 'roster.csv', contentType: 'text/csv' });
      expect(plain.headers.location).toMatch(/^\/admin\/roster-imports\/[0-9a-f-]{36}$/);
      const cell = await a
        .post(`/admin/roster-imports?_csrf=${encodeURIComponent(token)}`)
        .attach('file', Buffer.from('社員番号,姓,名,メールアドレス\nE1,山\u001b田,太郎,cell@example.jp\n'), { filename: 'roster.csv', contentType: 'text/csv' });
      expect(cell.status).toBe(303);
      const preview = mainText((await a.get(cell.headers.location).expect(200)).text);
      expect(preview).toContain('目に見えない制御文字（NUL など）が含まれています。HR システムから出力し直すか、取り除いてください。');
    });
  });

  describe('no redirect leaves the site', () => {
    const referers = [`http://${HOST}//evil.example/x`, `http://${HOST}/\\evil.example/x`, `http://${HOST}/%2F/evil.example`, `http://${HOST}/%5Cevil.example`, `http://${HOST}/\t/evil.example`];

    it.each(referers)('a malformed body with the Referer %j is answered with a same-site Location', async (referer) => {
      const a = agent();
      await a.get('/login').expect(200);
      // Every supertest request may reach the app on another port: name the host, as a browser does.
      const res = await a.post('/login').set('Host', HOST).set('Referer', referer).set('Content-Type', 'application/json').send('{bad');
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/(?![/\\])/);
      expect(res.headers.location).not.toMatch(/evil/);
    });

    it('an oversized form body and too many parameters are sent back to a same-site page too', async () => {
      const a = agent();
      const token = await csrfToken(a, '/login');
      const host = HOST;
      const big = await a.post('/login').set('Host', HOST).set('Referer', `http://${host}//evil.example/x`).type('form').send({ _csrf: token, email: 'x'.repeat(250_000) });
      expect(big.status).toBe(303);
      expect(big.headers.location).not.toMatch(/^\/\/|evil/);
      const many = Array.from({ length: 2100 }, (_, i) => `f${i}=1`).join('&');
      const tooMany = await a.post('/login').set('Host', HOST).set('Referer', `http://${host}//evil.example/x`).type('form').send(`_csrf=${token}&${many}`);
      expect(tooMany.status).toBeLessThan(500);
      if (tooMany.status === 303) expect(tooMany.headers.location).not.toMatch(/^\/\/|evil/);
    });

    it('the 404 page does not put a path that leads elsewhere into its forms', async () => {
      const res = await agent().get('//evil.example/x');
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('value="//evil.example');
      expect(decode(res.text)).not.toMatch(/name="next" value="\/\//);
    });

    it('the language switcher and sign-in refuse encoded and absolute targets', async () => {
      const a = agent();
      const token = await csrfToken(a, '/login');
      for (const next of ['//evil.example', '/%2F/evil.example', '/%5Cevil.example', 'https://evil.example/', '/\\evil.example', '\\/evil.example']) {
        const res = await a.post('/locale').type('form').send({ _csrf: token, locale: 'ja', next });
        expect([next, res.status, res.headers.location]).toEqual([next, 303, '/']);
      }
      const login = await a.get('/login?next=%2F%2Fevil.example');
      expect(login.text).toContain('name="next" value="/"');
    });
  });

  describe('personal pages are never cached', () => {
    it('signed-in pages and the API are no-store; photos private; public pages and static files keep their own', async () => {
      const { a, m } = await signedIn({ status: 'employee', role: 'admin' });
      for (const path of ['/account', '/profile/edit', `/members/${m.member.id}`, '/admin', '/admin/members', '/notifications', '/', '/api/v1/me']) {
        const res = await a.get(path);
        expect([path, res.status, res.headers['cache-control']]).toEqual([path, 200, 'no-store']);
      }
      expect((await agent().get('/api/v1/me')).headers['cache-control']).toBe('no-store');
      const anonymous = await agent().get('/');
      expect(anonymous.headers['cache-control']).toBeUndefined();
      expect((await agent().get('/static/app.css')).headers['cache-control']).toMatch(/max-age/);
    });

    it('a route that chooses its own caching keeps it (a member photo is private)', async () => {
      const { a, m } = await signedIn();
      const token = await csrfToken(a, '/profile/edit');
      const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
      await a.post(`/profile/photo?_csrf=${encodeURIComponent(token)}`).attach('photo', png, { filename: 'me.png', contentType: 'image/png' }).expect(303);
      const current = await a.get(`/members/${m.member.id}/photo`).expect(303);
      const photo = await a.get(current.headers.location).expect(200);
      expect(photo.headers['cache-control']).toMatch(/^private/);
    });
  });

  describe('the queue dashboard checks writes like every other write', () => {
    it('refuses a write without a token or from another site, accepts the token or the same origin', async () => {
      const { a } = await signedIn({ status: 'employee', role: 'admin' });
      const host = HOST;
      expect((await a.put('/admin/queues/api/queues/mail/pause')).status).toBe(403);
      expect((await a.put('/admin/queues/api/queues/mail/pause').set('Origin', 'https://evil.example')).status).toBe(403);
      expect((await a.put('/admin/queues/api/queues/mail/pause').set('Sec-Fetch-Site', 'cross-site')).status).toBe(403);
      const token = await csrfToken(a, '/account');
      const withToken = await a.put('/admin/queues/api/queues/mail/pause').set('X-CSRF-Token', token);
      expect([withToken.status, withToken.text.slice(0, 300)]).toEqual([200, expect.anything()]);
      const sameOrigin = await a.put('/admin/queues/api/queues/mail/resume').set('Host', HOST).set('Origin', `http://${host}`);
      expect([sameOrigin.status, host, sameOrigin.text.slice(0, 200)]).toEqual([200, host, expect.anything()]);
      expect((await a.get('/admin/queues/api/queues')).status).toBe(200);
    });
  });

  describe('the staff member list', () => {
    it('shows sign-in addresses to HR admins only; operators see names and open a member (audit-logged) for the address', async () => {
      const listed = await buildMember(em.fork(), { status: 'alumni', email: 'listed.address@example.jp', familyName: '一覧', givenName: '花子' });
      const { a: operator } = await signedIn({ status: 'alumni', role: 'operator' });
      const opPage = await operator.get('/admin/members?q=%E4%B8%80%E8%A6%A7').expect(200);
      expect(mainText(opPage.text)).toContain('一覧 花子');
      expect(opPage.text).not.toContain('listed.address@example.jp');
      expect(opPage.text).not.toMatch(/<th[^>]*>メールアドレス<\/th>/);
      const detail = await operator.get(`/admin/members/${listed.member.id}`).expect(200);
      expect(detail.text).toContain('listed.address@example.jp');
      const { a: admin } = await signedIn({ status: 'employee', role: 'admin' });
      const adminPage = await admin.get('/admin/members?q=%E4%B8%80%E8%A6%A7').expect(200);
      expect(adminPage.text).toContain('listed.address@example.jp');
      const audit = mainText((await admin.get('/admin/audit-log').expect(200)).text);
      expect(audit).toContain('一覧 花子');
    });
  });
});
