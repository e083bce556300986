import { request as httpRequest } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { CookieAccessInfo } from 'cookiejar';
import { EntityManager } from '@mikro-orm/postgresql';
import { QueryBus } from '@nestjs/cqrs';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { parse } from 'csv-parse/sync';
import { ExportDirectoryQuery, type DirectoryExportBatch } from '@modules/membership/contracts';
import { AuditEvent } from '@modules/privacy/domain/audit-event.entity';
import { buildMember, type BuiltMember } from '../factories/member.factory';
import { browser, signIn, type Agent } from '../support/http';
import { decode, mainText } from '../support/html';
import { bootWebApp, resetDatabase } from '../support/test-app';

/** The response body as bytes, whatever its type (to see the byte order mark and line ends as sent). */
const bytes = (res: NodeJS.ReadableStream, done: (err: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};
type RawParser = Parameters<ReturnType<Agent['get']>['parse']>[0];
const rawBytes = bytes as unknown as RawParser;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The messages shown under one field of the page. */
function fieldError(html: string, name: string): string {
  const block = new RegExp(`id="f-${escapeRe(name)}-error">([\\s\\S]*?)</div>`).exec(html)?.[1];
  if (block === undefined) throw new Error(`No field "${name}" on the page`);
  return decode(block.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).trim();
}

/** The rows of the audit log table, as text per cell. */
function tableRows(html: string): string[][] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((tr) =>
    [...tr[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((td) => decode(td[1].replace(/<br>/g, ' | ').replace(/<[^>]+>/g, '').replace(/\s+/g, ' ')).trim()),
  );
}

describe('audit log of restricted personal data, and the CSV export of the member list', () => {
  let app: NestExpressApplication;
  let em: EntityManager;
  let ipSeq = 0;
  let admin: BuiltMember;
  let operator: BuiltMember;
  let colleague: BuiltMember;
  let misaki: BuiltMember;
  let plain: BuiltMember;
  let adminAgent: Agent;
  let operatorAgent: Agent;
  let colleagueAgent: Agent;
  const previousTrustProxy = process.env.TRUST_PROXY;

  /** Each browser comes from its own address (behind the proxy), so per-address rate limits stay out of the way. */
  const agent = (): Agent => {
    ipSeq += 1;
    return browser(app).set('X-Forwarded-For', `10.21.${(ipSeq >> 8) & 255}.${ipSeq & 255}`);
  };
  const events = () => em.fork().find(AuditEvent, {}, { orderBy: { occurredAt: 'asc', id: 'asc' } });
  const clearEvents = () => em.fork().nativeDelete(AuditEvent, {});

  beforeAll(async () => {
    process.env.TRUST_PROXY = 'true';
    app = await bootWebApp();
    em = app.get(EntityManager);
    await resetDatabase(em);
    admin = await buildMember(em.fork(), { status: 'employee', role: 'admin', familyName: '人事', givenName: '花子', familyNameKana: 'ジンジ', givenNameKana: 'ハナコ' });
    operator = await buildMember(em.fork(), { status: 'alumni', role: 'operator', familyName: '運営', givenName: '太郎', familyNameKana: 'ウンエイ', givenNameKana: 'タロウ' });
    colleague = await buildMember(em.fork(), { status: 'alumni', familyName: '同僚', givenName: '次郎', familyNameKana: 'ドウリョウ', givenNameKana: 'ジロウ' });
    misaki = await buildMember(em.fork(), {
      status: 'alumni',
      email: 'misaki@example.jp',
      familyName: '田中',
      givenName: '美咲',
      familyNameKana: 'タナカ',
      givenNameKana: 'ミサキ',
      profile: (p) => {
        p.updateBasicInfo({
          familyName: '田中', givenName: '美咲', familyNameKana: 'タナカ', givenNameKana: 'ミサキ',
          lastDepartment: '人事部', lastPosition: '主任', joinedYear: 2010, leftYear: 2020,
          contactEmail: 'misaki.private@example.net', contactPhone: '090-1234-5678', birthDate: '1988-05-01',
          location: '=HYPERLINK("http://evil.example","開く")',
        });
        p.updateAfterCareer({ currentCompany: '+81 株式会社みらい' });
        p.updateSkillsAndInterests({ skills: ['@SUM(1+1)', '採用, 面接'], qualifications: [], interests: { business: [], hobby: [], volunteer: [] }, bio: null });
      },
    });
    // A member who filled in nothing restricted, and whose name must be shown escaped.
    plain = await buildMember(em.fork(), { status: 'employee', familyName: '<b>太字</b>', givenName: '一', familyNameKana: 'フトジ', givenNameKana: 'ハジメ' });
    adminAgent = agent();
    await signIn(adminAgent, admin.email, admin.password);
    operatorAgent = agent();
    await signIn(operatorAgent, operator.email, operator.password);
    colleagueAgent = agent();
    await signIn(colleagueAgent, colleague.email, colleague.password);
  });

  afterAll(async () => {
    await app.close();
    if (previousTrustProxy === undefined) delete process.env.TRUST_PROXY;
    else process.env.TRUST_PROXY = previousTrustProxy;
  });

  describe('what is recorded', () => {
    beforeEach(clearEvents);

    it('an admin opening a profile with contact details and birth date: one event naming those fields, then another at each view', async () => {
      const page = await adminAgent.get(`/members/${misaki.member.id}`).set('X-Request-Id', 'req-profile-1').expect(200);
      expect(mainText(page.text)).toContain('misaki.private@example.net');
      const [event, ...rest] = await events();
      expect(rest).toEqual([]);
      expect(event).toMatchObject({
        actorId: admin.member.id,
        actorName: '人事 花子',
        action: 'profile.restricted-viewed',
        subjectId: misaki.member.id,
        subjectName: '田中 美咲',
        fields: ['contactEmail', 'contactPhone', 'birthDate'],
        detail: { page: 'profile' },
        requestId: 'req-profile-1',
      });
      await adminAgent.get(`/members/${misaki.member.id}`).expect(200);
      expect(await events()).toHaveLength(2);
    });

    it('an operator is shown the contact details (not the private birth date): recorded with those two fields', async () => {
      const page = await operatorAgent.get(`/members/${misaki.member.id}`).expect(200);
      expect(page.text).not.toContain('1988');
      expect((await events()).map((e) => [e.actorName, e.fields])).toEqual([['運営 太郎', ['contactEmail', 'contactPhone']]]);
    });

    it('nothing for a member who sees no restricted field, for the member themselves, or for an empty profile', async () => {
      const seen = await colleagueAgent.get(`/members/${misaki.member.id}`).expect(200);
      expect(seen.text).not.toContain('misaki.private@example.net');
      const self = agent();
      await signIn(self, misaki.email, misaki.password);
      await self.get(`/members/${misaki.member.id}`).expect(200);
      await adminAgent.get(`/members/${plain.member.id}`).expect(200);
      await adminAgent.get(`/members/${admin.member.id}`).expect(200);
      expect(await events()).toEqual([]);
    });

    it('the JSON API records the same way', async () => {
      const res = await adminAgent.get(`/api/v1/members/${misaki.member.id}`).expect(200);
      expect(res.body.contact).toEqual({ email: 'misaki.private@example.net', phone: '090-1234-5678' });
      expect((await events()).map((e) => [e.subjectId, e.fields, e.detail])).toEqual([[misaki.member.id, ['contactEmail', 'contactPhone', 'birthDate'], { page: 'api' }]]);
    });

    it('the admin member page shows the sign-in address: recorded, except on one\'s own page', async () => {
      const page = await operatorAgent.get(`/admin/members/${misaki.member.id}`).expect(200);
      expect(mainText(page.text)).toContain('misaki@example.jp');
      await adminAgent.get(`/admin/members/${admin.member.id}`).expect(200);
      expect((await events()).map((e) => [e.actorId, e.subjectId, e.fields, e.detail])).toEqual([[operator.member.id, misaki.member.id, ['accountEmail'], { page: 'admin' }]]);
    });
  });

  describe('the audit log page', () => {
    beforeAll(async () => {
      await clearEvents();
      await operatorAgent.get(`/members/${misaki.member.id}`).expect(200);
      await adminAgent.get(`/admin/members/${plain.member.id}`).expect(200);
      await adminAgent.get('/admin/members/export.csv?status=alumni').buffer(true).parse(rawBytes).expect(200);
    });

    it('lists the newest first, with actions and fields in Japanese, and names escaped', async () => {
      const res = await adminAgent.get('/admin/audit-log').expect(200);
      const rows = tableRows(res.text);
      expect(rows.map((r) => r.slice(1, 5))).toEqual([
        ['人事 花子', '会員名簿のCSV出力', '複数の会員', 'ログイン用メールアドレス、現在の勤務先'],
        ['人事 花子', '制限付き項目の閲覧', '<b>太字</b> 一', 'ログイン用メールアドレス'],
        ['運営 太郎', '制限付き項目の閲覧', '田中 美咲', '連絡先メールアドレス、連絡先電話番号'],
      ]);
      expect(rows[0][5]).toBe('条件［ステータス：アルムナイ］ | 3件');
      expect(rows[1][5]).toBe('会員管理の画面で閲覧');
      expect(rows[0][0]).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{1,2}:\d{2}$/);
      expect(res.text).toContain('&lt;b&gt;太字&lt;/b&gt;');
      expect(res.text).not.toContain('<b>太字</b>');
    });

    it('in English for an admin who reads English', async () => {
      const res = await adminAgent.get('/admin/audit-log').set('Cookie', 'kizuna.lang=en').expect(200);
      const rows = tableRows(res.text);
      expect(rows.map((r) => [r[2], r[4]])).toEqual([
        ['Member list exported (CSV)', 'Sign-in e-mail address, Current employer'],
        ['Restricted fields viewed', 'Sign-in e-mail address'],
        ['Restricted fields viewed', 'Contact e-mail, Contact phone'],
      ]);
      expect(rows[0][5]).toBe('Filters: Status = Alumni | 3 rows');
      expect(mainText(res.text)).toContain('Audit log (personal data viewed and exported)');
      expect(mainText(res.text)).toContain('Times are in Japan time.');
    });

    it('filters by action, by part of the actor\'s name, and by the subject through its link', async () => {
      const byAction = tableRows((await adminAgent.get('/admin/audit-log?action=directory.exported').expect(200)).text);
      expect(byAction.map((r) => r[2])).toEqual(['会員名簿のCSV出力']);
      const byActor = tableRows((await adminAgent.get(`/admin/audit-log?actor=${encodeURIComponent('運営')}`).expect(200)).text);
      expect(byActor.map((r) => r[3])).toEqual(['田中 美咲']);
      const list = await adminAgent.get('/admin/audit-log').expect(200);
      const subjectLink = new RegExp(`href="(/admin/audit-log\\?subject=${misaki.member.id})"`).exec(decode(list.text))?.[1];
      expect(subjectLink).toBeDefined();
      const bySubject = tableRows((await adminAgent.get(subjectLink!).expect(200)).text);
      expect(bySubject.map((r) => r[1])).toEqual(['運営 太郎']);
      const none = await adminAgent.get('/admin/audit-log?from=2001-01-01&to=2001-01-31').expect(200);
      expect(mainText(none.text)).toContain('条件に一致する記録はありません。');
    });

    it('answers bad filters on the page itself, at their fields, with status 400 and never a 500', async () => {
      const date = await adminAgent.get('/admin/audit-log?from=2026-02-30&actor=%E9%81%8B%E5%96%B6').expect(400);
      expect(fieldError(date.text, 'from')).toBe('正しい日付を入力してください。');
      expect(mainText(date.text)).toContain('検索条件に誤りがあります。');
      expect(/<input id="f-actor" name="actor"[^>]* value="運営"/.test(decode(date.text))).toBe(true);
      expect(tableRows(date.text)).toEqual([]);

      const range = await adminAgent.get('/admin/audit-log?from=2026-11-02&to=2026-11-01').expect(400);
      expect(fieldError(range.text, 'to')).toBe('開始より後の日付を入力してください。');

      const action = await adminAgent.get('/admin/audit-log?action=everything').set('Cookie', 'kizuna.lang=en').expect(400);
      expect(fieldError(action.text, 'action')).toBe('Please choose one of the options.');

      const long = await adminAgent.get(`/admin/audit-log?subject=${'あ'.repeat(101)}`).expect(400);
      expect(fieldError(long.text, 'subject')).toBe('100文字以内で入力してください。');

      const cursor = await adminAgent.get('/admin/audit-log?before=not-an-id').expect(400);
      expect(mainText(cursor.text)).toContain('ページ送りのリンクが正しくありません。');
      const unknown = await adminAgent.get('/admin/audit-log?sort=oldest').expect(400);
      expect(mainText(unknown.text)).toContain('想定されていない項目が送信されました。');
    });

    it('pages to older records and back', async () => {
      await clearEvents();
      for (let i = 0; i < 55; i++) await adminAgent.get(`/admin/members/${misaki.member.id}`).expect(200);
      const first = await adminAgent.get('/admin/audit-log').expect(200);
      expect(tableRows(first.text)).toHaveLength(50);
      const older = decode(/href="([^"]+)" rel="next"/.exec(first.text)?.[1] ?? '');
      expect(older).toMatch(/^\/admin\/audit-log\?before=[0-9a-f-]{36}$/);
      const second = await adminAgent.get(older).expect(200);
      expect(tableRows(second.text)).toHaveLength(5);
      expect(second.text).not.toContain('rel="next"');
      const newer = /href="([^"]+)" rel="prev"/.exec(second.text)?.[1];
      const back = await adminAgent.get(decode(newer!)).expect(200);
      expect(tableRows(back.text)).toEqual(tableRows(first.text));
    });

    it('is linked from the dashboard and the console menu for admins only', async () => {
      expect((await adminAgent.get('/admin').expect(200)).text).toContain('href="/admin/audit-log"');
      expect((await adminAgent.get('/admin/members').expect(200)).text).toContain('href="/admin/audit-log"');
      expect((await operatorAgent.get('/admin').expect(200)).text).not.toContain('href="/admin/audit-log"');
      expect((await operatorAgent.get('/admin/members').expect(200)).text).not.toContain('/admin/audit-log');
    });
  });

  describe('the CSV export', () => {
    beforeEach(clearEvents);

    const download = (path: string, a: Agent = adminAgent) => a.get(path).buffer(true).parse(rawBytes);

    it('is a UTF-8 file with a byte order mark, CRLF line ends and a Japanese header, every member in kana order', async () => {
      const res = await download('/admin/members/export.csv').expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="members-\d{8}-\d{4}\.csv"$/);
      const body = res.body as Buffer;
      expect(body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const text = body.toString('utf8').slice(1);
      expect(text.endsWith('\r\n')).toBe(true);
      expect(text.replace(/\r\n/g, '').includes('\n')).toBe(false);
      const [header, ...rows] = parse(text) as string[][];
      expect(header).toEqual(['会員ID', '姓', '名', '姓（カナ）', '名（カナ）', 'ローマ字氏名', 'メールアドレス', 'ステータス', '権限', '最終所属', '役職', '入社年', '退職年', '所在地', '現在の勤務先', 'スキル', '登録日時']);
      expect(rows.map((r) => r[3])).toEqual(['ウンエイ', 'ジンジ', 'タナカ', 'ドウリョウ', 'フトジ']);
      const tanaka = rows.find((r) => r[0] === misaki.member.id)!;
      expect(tanaka.slice(1, 13)).toEqual(['田中', '美咲', 'タナカ', 'ミサキ', '', 'misaki@example.jp', 'アルムナイ', '会員', '人事部', '主任', '2010', '2020']);
      expect(tanaka[16]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    });

    it('neutralises cells a spreadsheet would run as formulas, and quotes commas', async () => {
      const res = await download('/admin/members/export.csv?q=misaki').expect(200);
      const [, row] = parse((res.body as Buffer).toString('utf8').slice(1)) as string[][];
      expect(row[13]).toBe(`'=HYPERLINK("http://evil.example","開く")`);
      expect(row[14]).toBe("'+81 株式会社みらい");
      expect(row[15]).toBe("'@SUM(1+1)、採用, 面接");
      expect((res.body as Buffer).toString('utf8')).toContain(`"'=HYPERLINK(""http://evil.example"",""開く"")"`);
    });

    it('has its header and labels in English for an admin who reads English', async () => {
      const res = await download('/admin/members/export.csv?role=admin').set('Cookie', 'kizuna.lang=en').expect(200);
      const [header, row, ...rest] = parse((res.body as Buffer).toString('utf8').slice(1)) as string[][];
      expect(header.slice(0, 3)).toEqual(['Member ID', 'Family name', 'Given name']);
      expect(rest).toEqual([]);
      expect([row[7], row[8]]).toEqual(['Employee', 'HR admin']);
    });

    it('keeps the member list\'s filters, and records the export with them and the number of rows', async () => {
      const res = await download(`/admin/members/export.csv?status=employee&q=${encodeURIComponent('フトジ')}`).set('X-Request-Id', 'req-export-1').expect(200);
      const rows = (parse((res.body as Buffer).toString('utf8').slice(1)) as string[][]).slice(1);
      expect(rows.map((r) => r[0])).toEqual([plain.member.id]);
      const [event, ...rest] = await events();
      expect(rest).toEqual([]);
      expect(event).toMatchObject({
        actorId: admin.member.id,
        action: 'directory.exported',
        fields: ['accountEmail', 'currentEmployer'],
        detail: { filters: { q: 'フトジ', status: 'employee' }, rows: 1 },
        requestId: 'req-export-1',
      });
      expect(event.subjectId ?? null).toBeNull();
    });

    it('is linked from the member list with the current filters, for admins only', async () => {
      const list = await adminAgent.get(`/admin/members?status=alumni&q=${encodeURIComponent('田中')}`).expect(200);
      const href = /<a class="button button-secondary" href="([^"]+)" aria-describedby="export-hint"/.exec(list.text)?.[1];
      expect(decode(href!)).toBe(`/admin/members/export.csv?q=${encodeURIComponent('田中')}&status=alumni`);
      const rows = (parse((await download(decode(href!)).expect(200)).body.toString('utf8').slice(1)) as string[][]).slice(1);
      expect(rows.map((r) => r[0])).toEqual([misaki.member.id]);
      const asOperator = await operatorAgent.get('/admin/members').expect(200);
      expect(asOperator.text).not.toContain('export.csv');
    });

    it('refuses operators and bad filters with a page, and records nothing', async () => {
      const refused = await operatorAgent.get('/admin/members/export.csv').expect(403);
      expect(mainText(refused.text)).toContain('このページを表示する権限がありません');
      const bad = await adminAgent.get('/admin/members/export.csv?status=retired').expect(400);
      expect(mainText(bad.text)).toContain('リクエストを処理できませんでした');
      expect(await events()).toEqual([]);
    });

    describe('when the download breaks off', () => {
      let spy: jest.SpyInstance | undefined;
      afterEach(() => spy?.mockRestore());

      /** The first batch claims more follows; the second one does what `second` says. */
      function splitIntoTwoBatches(second: () => Promise<DirectoryExportBatch>): void {
        const bus = app.get(QueryBus);
        const original = bus.execute.bind(bus);
        spy = jest.spyOn(bus, 'execute').mockImplementation(async (query: unknown) => {
          if (!(query instanceof ExportDirectoryQuery)) return original(query as never);
          if (query.after === null) return { ...((await original(query as never)) as DirectoryExportBatch), next: 'more' } as never;
          return second() as never;
        });
      }

      it('a failure half-way drops the connection and is recorded as failed, with the rows sent', async () => {
        splitIntoTwoBatches(() => Promise.reject(new Error('the database went away')));
        await expect(download('/admin/members/export.csv')).rejects.toThrow();
        const [event, ...rest] = await events();
        expect(rest).toEqual([]);
        expect(event.detail).toEqual({ filters: {}, rows: 5, failed: 'error' });
      });

      it('a client that goes away is recorded as interrupted', async () => {
        const server = app.getHttpServer();
        if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
        const { port } = server.address() as AddressInfo;
        // The next connection the server accepts is this download's (a fresh socket, no keep-alive reuse).
        const serverSideClosed = new Promise<void>((resolve) => server.once('connection', (socket: Socket) => socket.once('close', () => resolve())));
        splitIntoTwoBatches(async () => {
          await serverSideClosed;
          return { rows: [], next: null };
        });
        const cookie = (adminAgent as unknown as { jar: { getCookies(a: unknown): { toValueString(): string } } }).jar.getCookies(CookieAccessInfo.All).toValueString();
        await new Promise<void>((resolve, reject) => {
          const req = httpRequest({ host: '127.0.0.1', port, path: '/admin/members/export.csv', agent: false, headers: { cookie } }, (res) => {
            expect(res.statusCode).toBe(200);
            // The first rows arrive; the person closes the tab.
            res.once('data', () => {
              req.destroy();
              resolve();
            });
          });
          req.on('error', reject);
          req.end();
        });
        for (let i = 0; i < 200 && (await events()).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
        const [event] = await events();
        expect(event.detail).toEqual({ filters: {}, rows: 5, failed: 'interrupted' });
      });
    });
  });
});
