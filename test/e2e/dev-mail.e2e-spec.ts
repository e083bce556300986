import { EntityManager } from '@mikro-orm/postgresql';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { MailMessage } from '@libs/mail/mail-message.entity';
import { buildMember, type BuiltMember } from '../factories/member.factory';
import { browser, signIn, type Agent } from '../support/http';
import { decode, mainText } from '../support/html';
import { bootWebApp, resetDatabase } from '../support/test-app';

/** The recipients of the rows of the mail table, top to bottom. */
function recipients(html: string): string[] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr>\s*<td>[^<]*<\/td>\s*<td>([^<]*)<\/td>/g)].map((m) => decode(m[1]).trim());
}

describe('/dev/mail: the local outbox, a page at a time, filtered by recipient', () => {
  let app: NestExpressApplication;
  let em: EntityManager;
  let admin: BuiltMember;
  let a: Agent;

  beforeAll(async () => {
    app = await bootWebApp();
    em = app.get(EntityManager);
    await resetDatabase(em);
    admin = await buildMember(em.fork(), { status: 'employee', role: 'admin' });
    // 120 mails, one a minute: mail n goes to user-n@…, every third to the same Hanako.
    const fork = em.fork();
    const start = Date.parse('2026-11-01T00:00:00Z');
    for (let n = 1; n <= 120; n += 1) {
      const to = n % 3 === 0 ? `Hanako.Sato+${n}@Personal.example.jp` : `user-${n}@example.jp`;
      const mail = new MailMessage({ key: `test:${n}`, template: 'membership/left-company', locale: 'ja', to, subject: `件名 ${n}`, text: 't', html: '<p>t</p>' });
      mail.createdAt = new Date(start + n * 60_000);
      fork.persist(mail);
    }
    await fork.flush();
    a = browser(app);
    await signIn(a, admin.email, admin.password);
  });
  afterAll(() => app.close());

  it('shows 50 mails a page, newest first, with page links', async () => {
    const first = await a.get('/dev/mail').expect(200);
    const firstRows = recipients(first.text);
    expect(firstRows).toHaveLength(50);
    expect(firstRows[0]).toBe('Hanako.Sato+120@Personal.example.jp');
    expect(firstRows[1]).toBe('user-119@example.jp');
    expect(mainText(first.text)).toContain('1 / 3 ページ（全120件）');
    expect(decode(first.text)).toContain('href="/dev/mail?page=2" rel="next"');

    const third = await a.get('/dev/mail?page=3').expect(200);
    const thirdRows = recipients(third.text);
    expect(thirdRows).toHaveLength(20);
    expect(thirdRows[19]).toBe('user-1@example.jp');
    expect(decode(third.text)).toContain('href="/dev/mail?page=2" rel="prev"');
    // Past the last page: the last page.
    expect(recipients((await a.get('/dev/mail?page=99').expect(200)).text)).toEqual(thirdRows);
  });

  it('filters by part of the recipient, ignoring case, and the pages keep the filter', async () => {
    const res = await a.get('/dev/mail?to=hanako.sato').expect(200);
    const rows = recipients(res.text);
    expect(rows).toHaveLength(40);
    expect(rows.every((to) => to.startsWith('Hanako.Sato+'))).toBe(true);
    expect(mainText(res.text)).toContain('全40件');
    expect(res.text).toContain('value="hanako.sato"');

    const exact = recipients((await a.get('/dev/mail?to=user-7@example.jp').expect(200)).text);
    expect(exact).toEqual(['user-7@example.jp']);
    // % and _ are letters here, not wildcards.
    expect(recipients((await a.get('/dev/mail?to=user_1').expect(200)).text)).toEqual([]);
    const none = await a.get('/dev/mail?to=nobody').expect(200);
    expect(mainText(none.text)).toContain('この宛先のメールはありません。');
  });

  it('keeps the filter in the page links', async () => {
    const res = await a.get('/dev/mail?to=example.jp&page=2').expect(200);
    expect(recipients(res.text)).toHaveLength(50);
    expect(decode(res.text)).toContain('href="/dev/mail?to=example.jp" rel="prev"');
    expect(decode(res.text)).toContain('href="/dev/mail?to=example.jp&page=3" rel="next"');
  });

  it('refuses a bad page number with a message, not a 500', async () => {
    const res = await a.get('/dev/mail?page=abc');
    expect(res.status).toBeLessThan(500);
  });

  it('is for admins only', async () => {
    const m = await buildMember(em.fork(), { status: 'alumni', role: 'operator' });
    const other = browser(app);
    await signIn(other, m.email, m.password);
    expect((await other.get('/dev/mail?to=hanako').set('Accept', 'text/html')).status).toBe(403);
  });
});
