import request from 'supertest';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { bootWebApp } from '../support/test-app';

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

  it('shows a friendly 404 page', async () => {
    const res = await request(app.getHttpServer()).get('/no-such-page').expect(404);
    expect(res.text).toContain('ページが見つかりません');
  });
});
