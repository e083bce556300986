import request from 'supertest';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { EntityManager } from '@mikro-orm/postgresql';
import { mainText } from '../support/html';
import { bootWebApp } from '../support/test-app';
import { browser, signIn, submit } from '../support/http';
import { MailMessage } from '@libs/mail/mail-message.entity';
import { buildMember } from '../factories/member.factory';

describe('web app smoke', () => {
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await bootWebApp();
  });
  afterAll(() => app.close());

  it('answers health and renders the home page in Japanese by default and English on request', async () => {
    await request(app.getHttpServer()).get('/health').expect(200, { status: 'ok', database: 'up', redis: 'up' });
    const ja = await request(app.getHttpServer()).get('/').expect(200);
    expect(ja.text).toContain('<html lang="ja">');
    expect(ja.text).toContain('入会申請');
    const en = await request(app.getHttpServer()).get('/').set('Accept-Language', 'en-US,en;q=0.9').expect(200);
    expect(en.text).toContain('Apply to join');
  });

  it('tags every response with a request id, keeping the one a proxy sent', async () => {
    const fresh = await request(app.getHttpServer()).get('/login').expect(200);
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const given = await request(app.getHttpServer()).get('/login').set('X-Request-Id', 'lb-1234').expect(200);
    expect(given.headers['x-request-id']).toBe('lb-1234');
  });

  it('shows a friendly 404 page', async () => {
    const res = await request(app.getHttpServer()).get('/no-such-page').expect(404);
    expect(res.text).toContain('ページが見つかりません');
  });

  it('explains a refusal in words, in the member\'s language', async () => {
    const em = app.get(EntityManager).fork();
    const alumnus = await buildMember(em, { status: 'alumni' });
    const a = browser(app);
    await signIn(a, alumnus.email, alumnus.password);
    const ja = await a.get('/admin').expect(403);
    expect(mainText(ja.text)).toContain('このページを表示する権限がありません 必要な権限がないため表示できません。');
    const en = await a.get('/admin').set('Cookie', 'kizuna.lang=en').expect(403);
    expect(mainText(en.text)).not.toContain('errors.');

    const applicant = await buildMember(app.get(EntityManager).fork(), { status: 'pending' });
    const p = browser(app);
    await signIn(p, applicant.email, applicant.password);
    const pending = await p.get('/profile/edit').expect(403);
    expect(mainText(pending.text)).toContain('入会申請の審査が完了するまで、このページはご利用いただけません。');
  });

  it('resets a forgotten password from the link in the mail', async () => {
    await buildMember(app.get(EntityManager).fork(), { status: 'employee', email: 'forgetful@example.jp' });
    const a = browser(app);
    const sent = await submit(a, '/password-reset', { email: 'forgetful@example.jp' }, '/password-reset');
    expect(sent.headers.location).toBe('/password-reset');
    expect(mainText((await a.get('/password-reset')).text)).toContain('再設定用のメールをお送りしました');

    const mail = await app.get(EntityManager).fork().findOneOrFail(MailMessage, { to: 'forgetful@example.jp' });
    const link = /http:\/\/kizuna\.test(\/password-reset\/[\w-]+)/.exec(mail.text)?.[1] as string;
    const form = await a.get(link).expect(200);
    expect(mainText(form.text)).toContain('新しいパスワードの設定');
    const done = await submit(a, link, { password: 'a-brand-new-pass-77' }, link);
    expect(done.headers.location).toBe('/login');
    await a.get(link).expect(400);
    await signIn(browser(app), 'forgetful@example.jp', 'a-brand-new-pass-77');
  });
});
