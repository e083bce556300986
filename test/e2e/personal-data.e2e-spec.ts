import type { Type } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { RequestContext } from '@mikro-orm/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { INTEGRATION_EVENT_HANDLER, type IntegrationEventHandler } from '@libs/outbox/integration-event-handler';
import type { IntegrationEvent } from '@libs/outbox/integration-event';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { RedisConnections } from '@libs/queue/redis-connections';
import { runOnce } from '@libs/outbox/run-once';
import { Member } from '@modules/membership/domain/member.entity';
import { PrepareDataExportOnRequestedHandler } from '@modules/privacy/application/data-export/prepare-data-export-on-requested.handler';
import { EraseDataExportsOnMemberDeletedHandler } from '@modules/privacy/application/data-export/erase-data-export.handlers';
import { WithdrawConsentOnMemberDeletedHandler } from '@modules/privacy/application/consent/withdraw-consent-on-member-deleted.handler';
import { CONSENT_TEXT_VERSIONS } from '@modules/privacy/domain/consent-text';
import { ConsentRecord } from '@modules/privacy/domain/consent-record.entity';
import { DataExport } from '@modules/privacy/domain/data-export.entity';
import { buildMember, type BuiltMember, type MemberSpec } from '../factories/member.factory';
import { browser, csrfToken, follow, signIn, type Agent } from '../support/http';
import { decode, mainText } from '../support/html';
import { bootWebApp, resetDatabase } from '../support/test-app';

const WORKER_HANDLERS: Type<IntegrationEventHandler>[] = [PrepareDataExportOnRequestedHandler, EraseDataExportsOnMemberDeletedHandler, WithdrawConsentOnMemberDeletedHandler];

describe('personal data over HTTP: consent, data download, account deletion', () => {
  let app: NestExpressApplication;
  let em: EntityManager;
  let ipSeq = 0;
  let emailSeq = 0;
  const ran = new Set<string>();
  const previousTrustProxy = process.env.TRUST_PROXY;

  /** Each browser comes from its own address (behind the proxy), so per-address rate limits stay out of the way. */
  const agent = (): Agent => {
    ipSeq += 1;
    return browser(app).set('X-Forwarded-For', `10.21.${(ipSeq >> 8) & 255}.${ipSeq & 255}`);
  };
  const member = (spec: MemberSpec = {}): Promise<BuiltMember> =>
    buildMember(em.fork(), { status: 'alumni', ...spec, email: spec.email ?? `pd-${++emailSeq}@personal-data.example.jp` });

  async function signedIn(spec: MemberSpec = {}): Promise<{ a: Agent; m: BuiltMember }> {
    const m = await member(spec);
    const a = agent();
    await signIn(a, m.email, m.password);
    return { a, m };
  }

  async function post(a: Agent, path: string, fields: Record<string, string>, page: string) {
    const token = await csrfToken(a, page);
    return a.post(path).type('form').send({ _csrf: token, ...fields });
  }

  /** What the worker process does with the outbox: each waiting event handled once by the privacy handlers. */
  async function runWorker(): Promise<void> {
    const rows = await em.fork().find(OutboxMessage, { relayedAt: null }, { orderBy: { createdAt: 'asc' } });
    for (const row of rows) {
      if (ran.has(row.id)) continue;
      ran.add(row.id);
      for (const type of WORKER_HANDLERS) {
        if (Reflect.getMetadata(INTEGRATION_EVENT_HANDLER, type) !== row.name) continue;
        const handler = app.get(type, { strict: false });
        const event = row.payload as unknown as IntegrationEvent;
        await RequestContext.create(em.fork(), () => runOnce(em, `${type.name}:${event.eventId}`, (tx) => handler.handle(event, tx)));
      }
    }
  }

  beforeAll(async () => {
    process.env.TRUST_PROXY = 'true';
    app = await bootWebApp();
    em = app.get(EntityManager);
    await resetDatabase(em);
  });

  afterAll(async () => {
    await app.close();
    if (previousTrustProxy === undefined) delete process.env.TRUST_PROXY;
    else process.env.TRUST_PROXY = previousTrustProxy;
  });

  describe('links', () => {
    it('links the privacy pages from /account (consent for members only)', async () => {
      const { a } = await signedIn();
      const page = (await a.get('/account').expect(200)).text;
      for (const href of ['/account/privacy', '/account/data', '/account/delete']) expect(page).toContain(`href="${href}"`);
      const { a: applicant } = await signedIn({ status: 'pending' });
      const pending = (await applicant.get('/account').expect(200)).text;
      expect(pending).not.toContain('href="/account/privacy"');
      expect(pending).toContain('href="/account/data"');
      expect(pending).toContain('href="/account/delete"');
    });
  });

  describe('consent', () => {
    it('shows each purpose with its text, version and answer, and records give and withdraw with history (PRG)', async () => {
      const { a, m } = await signedIn();
      const first = mainText((await a.get('/account/privacy').expect(200)).text);
      expect(first).toContain('タレントプール（カムバック採用）');
      expect(first).toContain('人事部があなたのプロフィール・スキル・経歴を確認し');
      expect(first).toContain(`文面の版：${CONSENT_TEXT_VERSIONS.talent_pool}`);
      expect(first.match(/未回答/g)).toHaveLength(3);
      expect(first).toContain('まだ回答はありません。');

      const given = await post(a, '/account/privacy/consents', { purpose: 'talent_pool', decision: 'give', version: CONSENT_TEXT_VERSIONS.talent_pool }, '/account/privacy');
      expect([given.status, given.headers.location]).toEqual([303, '/account/privacy']);
      const afterGive = (await follow(a, given)).text;
      expect(mainText(afterGive)).toContain('同意を記録しました。');
      expect(afterGive).toMatch(/id="purpose-talent_pool"[\s\S]*?<span class="badge badge-employee">同意しています<\/span>/);

      const withdrawn = await post(a, '/account/privacy/consents', { purpose: 'talent_pool', decision: 'withdraw', version: CONSENT_TEXT_VERSIONS.talent_pool }, '/account/privacy');
      const afterWithdraw = (await follow(a, withdrawn)).text;
      expect(mainText(afterWithdraw)).toContain('同意の撤回を記録しました。');
      const history = /<section class="card" id="history"[\s\S]*?<\/section>/.exec(afterWithdraw)?.[0] ?? '';
      expect(mainText(history).match(/タレントプール（カムバック採用）/g)).toHaveLength(2);
      expect(mainText(history)).toMatch(/撤回[\s\S]*同意/);

      const rows = await em.fork().execute<{ granted: boolean; text_locale: string }[]>('select granted, text_locale from privacy.consent_record where member_id = ? order by recorded_at', [m.member.id]);
      expect(rows).toEqual([{ granted: true, text_locale: 'ja' }, { granted: false, text_locale: 'ja' }]);
    });

    it('shows the page and records the text in English for an English reader', async () => {
      const { a, m } = await signedIn();
      await post(a, '/locale', { locale: 'en', next: '/account/privacy' }, '/account/privacy');
      const page = mainText((await a.get('/account/privacy').expect(200)).text);
      expect(page).toContain('Business matching');
      expect(page).toContain('Other members and partner companies may send you business proposals');
      await post(a, '/account/privacy/consents', { purpose: 'business_matching', decision: 'give', version: CONSENT_TEXT_VERSIONS.business_matching }, '/account/privacy');
      const [row] = await em.fork().execute<{ text: string; text_locale: string }[]>('select text, text_locale from privacy.consent_record where member_id = ?', [m.member.id]);
      expect(row.text_locale).toBe('en');
      expect(row.text).toMatch(/^Other members and partner companies/);
    });

    it('answers a stale text version or a made-up purpose with a message on the page, never a 500', async () => {
      const { a, m } = await signedIn();
      const stale = await post(a, '/account/privacy/consents', { purpose: 'community', decision: 'give', version: '2019-01' }, '/account/privacy');
      expect([stale.status, stale.headers.location]).toEqual([303, '/account/privacy']);
      expect(mainText((await follow(a, stale)).text)).toContain('同意の文面が更新されました。新しい文面をお読みのうえ、もう一度お選びください。');
      const bad = await post(a, '/account/privacy/consents', { purpose: 'marketing', decision: 'maybe', version: 'x' }, '/account/privacy');
      expect([bad.status, bad.headers.location]).toEqual([303, '/account/privacy']);
      expect(decode((await follow(a, bad)).text)).toMatch(/class="flash flash-error" role="alert"><p>入力内容をご確認のうえ、もう一度お試しください。<\/p>/);
      expect(await em.fork().count(ConsentRecord, { memberId: m.member.id })).toBe(0);
    });
  });

  describe('data download', () => {
    it('prepares the data by a job, then the owner downloads it as a JSON attachment (and it is audited)', async () => {
      const { a, m } = await signedIn({ familyName: '北村', givenName: '葵' });
      expect(mainText((await a.get('/account/data').expect(200)).text)).toContain('データを準備する');

      const requested = await post(a, '/account/data/exports', {}, '/account/data');
      expect([requested.status, requested.headers.location]).toEqual([303, '/account/data']);
      const preparingHtml = (await follow(a, requested)).text;
      const preparing = mainText(preparingHtml);
      expect(preparing).toContain('データの準備を始めました。準備ができるとメールでお知らせします。');
      expect(preparing).toContain('準備中');
      expect(preparingHtml).not.toMatch(/<button[^>]*>データを準備する<\/button>/);

      // A second request (from a page opened earlier) is refused with a message.
      const again = await post(a, '/account/data/exports', {}, '/account/data');
      expect(decode((await follow(a, again)).text)).toMatch(/class="flash flash-error" role="alert">\s*<p>データを準備しています。準備ができるとメールでお知らせします。<\/p>/);
      expect(await em.fork().count(DataExport, { memberId: m.member.id })).toBe(1);

      await runWorker();
      const ready = (await a.get('/account/data').expect(200)).text;
      expect(mainText(ready)).toContain('ダウンロードできます');
      const href = /href="(\/account\/data-exports\/[0-9a-f-]{36}\/download)"/.exec(ready)?.[1];
      expect(href).toBeDefined();

      const file = await a.get(href as string).buffer(true).parse((res, cb) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => cb(null, body));
      });
      expect(file.status).toBe(200);
      expect(file.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(file.headers['content-disposition']).toMatch(/^attachment; filename="kizuna-data-\d{4}-\d{2}-\d{2}\.json"$/);
      expect(file.headers['cache-control']).toBe('no-store');
      const json = JSON.parse(file.body as string) as { memberId: string; membership: { profile: { familyName: string; givenName: string } } };
      expect(json.memberId).toBe(m.member.id);
      expect(json.membership.profile).toMatchObject({ familyName: '北村', givenName: '葵' });

      const [audit] = await em.fork().execute<{ action: string; subject_id: string }[]>(`select action, subject_id from privacy.audit_event where actor_id = ?`, [m.member.id]);
      expect(audit).toEqual({ action: 'personal-data.exported', subject_id: m.member.id });
      expect(mainText((await a.get('/account/data').expect(200)).text)).toContain('最終ダウンロード');
    });

    it('never serves another member’s data, and says clearly when a link has expired', async () => {
      const owner = await signedIn();
      await post(owner.a, '/account/data/exports', {}, '/account/data');
      await runWorker();
      const [{ id }] = await em.fork().execute<{ id: string }[]>('select id from privacy.data_export where member_id = ?', [owner.m.member.id]);

      const { a: other } = await signedIn({ role: 'admin', status: 'employee' });
      const refused = await other.get(`/account/data-exports/${id}/download`);
      expect(refused.status).toBe(404);
      expect(refused.headers['content-type']).toMatch(/text\/html/);
      expect(refused.text).not.toContain(owner.m.member.id);
      expect((await agent().get(`/account/data-exports/${id}/download`)).headers.location).toBe(`/login?next=${encodeURIComponent(`/account/data-exports/${id}/download`)}`);

      await em.fork().execute(`update privacy.data_export set expires_at = now() - interval '1 minute' where id = ?`, [id]);
      const expired = await owner.a.get(`/account/data-exports/${id}/download`);
      expect(expired.status).toBe(410);
      expect(mainText(expired.text)).toContain('このダウンロードリンクは期限が切れたため、ファイルの内容は削除されました。');
      expect(expired.text).toContain('href="/account/data"');
      const [row] = await em.fork().execute<{ state: string; content: unknown }[]>('select state, content from privacy.data_export where id = ?', [id]);
      expect(row).toEqual({ state: 'expired', content: null });
      expect(mainText((await owner.a.get('/account/data').expect(200)).text)).toContain('期限切れ');
    });

    it('lets a pending applicant download their data too', async () => {
      const { a } = await signedIn({ status: 'pending' });
      const res = await post(a, '/account/data/exports', {}, '/account/data');
      expect([res.status, res.headers.location]).toEqual([303, '/account/data']);
    });
  });

  describe('account deletion', () => {
    it('explains what is erased and what stays, and asks for the password and a tick', async () => {
      const { a } = await signedIn();
      const page = mainText((await a.get('/account/delete').expect(200)).text);
      expect(page).toContain('削除されるもの');
      expect(page).toContain('残るもの');
      expect(page).toContain('「退会したメンバー」と表示されます');
      expect(page).toContain('上記の内容を理解し、アカウントを削除します。');

      const noTick = await post(a, '/account/delete', { password: 'correct-horse-42' }, '/account/delete');
      expect([noTick.status, noTick.headers.location]).toEqual([303, '/account/delete']);
      const back = (await follow(a, noTick)).text;
      expect(decode(back)).toMatch(/id="f-confirm-error"><p>削除してよいことを確認するため、チェックを入れてください。<\/p>/);

      const wrong = await post(a, '/account/delete', { password: 'not-my-password', confirm: 'on' }, '/account/delete');
      expect(decode((await follow(a, wrong)).text)).toMatch(/id="f-password-error"><p>現在のパスワードが正しくありません。/);
      await a.get('/account').expect(200);
    });

    it('deletes the account, ends every session, and shows the goodbye page in the member’s language', async () => {
      const { a: laptop, m } = await signedIn({ familyName: '退会', givenName: '予定' });
      const phone = agent();
      await signIn(phone, m.email, m.password);
      const { a: colleague } = await signedIn();
      const { a: admin } = await signedIn({ role: 'admin', status: 'employee' });
      await colleague.get(`/members/${m.member.id}`).expect(200);
      await post(laptop, '/account/privacy/consents', { purpose: 'community', decision: 'give', version: CONSENT_TEXT_VERSIONS.community }, '/account/privacy');
      await post(laptop, '/locale', { locale: 'en', next: '/account/delete' }, '/account/delete');

      const redis = app.get(RedisConnections);
      const sessionSet = `${redis.prefix}:member-sessions:${m.member.id}`;
      const sids = await redis.client.smembers(sessionSet);
      expect(sids.length).toBeGreaterThanOrEqual(2);

      const res = await post(laptop, '/account/delete', { password: m.password, confirm: 'on' }, '/account/delete');
      expect([res.status, res.headers.location]).toEqual([303, '/account/deleted']);
      // The sessions are gone from Redis, not only refused.
      expect(await redis.client.exists(sessionSet)).toBe(0);
      for (const sid of sids) expect(await redis.client.exists(`${redis.prefix}:sess:${sid}`)).toBe(0);
      const goodbye = await follow(laptop, res);
      expect(goodbye.status).toBe(200);
      expect(mainText(goodbye.text)).toContain('Your account has been deleted');
      expect(goodbye.text).not.toContain('href="/account"');

      for (const a of [laptop, phone]) {
        const after = await a.get('/account');
        expect([after.status, after.headers.location]).toEqual([303, '/login?next=%2Faccount']);
      }
      const again = await post(agent(), '/login', { email: m.email, password: m.password }, '/login');
      expect(again.headers.location).toBe('/login');

      expect((await colleague.get(`/members/${m.member.id}`)).status).toBe(404);
      expect(mainText((await colleague.get(`/members?q=${encodeURIComponent('退会')}`)).text)).not.toContain('予定');
      const list = mainText((await admin.get('/admin/members?status=deleted').expect(200)).text);
      expect(list).toContain('退会したメンバー');
      expect(list).not.toContain('退会 予定');
      // An admin reading the console in English (never having saved a language) sees the English label.
      const english = mainText((await admin.get(`/admin/members/${m.member.id}`).set('Accept-Language', 'en').expect(200)).text);
      expect(english).toContain('Deleted member');
      expect(english).not.toContain('Unverified');

      const stored = await em.fork().findOneOrFail(Member, { id: m.member.id });
      expect(stored).toMatchObject({ status: 'deleted', email: `deleted-${m.member.id}@deleted.invalid` });

      // The worker then withdraws the consent that was still given.
      await runWorker();
      const consent = await em.fork().execute<{ granted: boolean; source: string }[]>('select granted, source from privacy.consent_record where member_id = ? order by recorded_at', [m.member.id]);
      expect(consent).toEqual([{ granted: true, source: 'member' }, { granted: false, source: 'account-deleted' }]);
    });

    it('refuses the last HR admin with a clear message', async () => {
      await em.fork().execute(`update membership.member set role = 'member' where role = 'admin'`);
      const { a, m } = await signedIn({ role: 'admin', status: 'employee' });
      const res = await post(a, '/account/delete', { password: m.password, confirm: 'on' }, '/account/delete');
      expect([res.status, res.headers.location]).toEqual([303, '/account/delete']);
      expect(mainText((await follow(a, res)).text)).toContain('あなたはこのコミュニティで最後の人事管理者です。退会する前に、別の会員を人事管理者にしてください。');
      expect((await em.fork().findOneOrFail(Member, { id: m.member.id })).status).toBe('employee');
    });

    it('shows the goodbye page to anyone, and the deletion page only to signed-in people', async () => {
      expect(mainText((await agent().get('/account/deleted').expect(200)).text)).toContain('アカウントを削除しました');
      const res = await agent().get('/account/delete');
      expect([res.status, res.headers.location]).toEqual([303, '/login?next=%2Faccount%2Fdelete']);
    });
  });
});
