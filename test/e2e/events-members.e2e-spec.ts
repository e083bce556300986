import type { NestExpressApplication } from '@nestjs/platform-express';
import { EntityManager } from '@mikro-orm/postgresql';
import { Registration } from '@modules/events/domain/registration.entity';
import { buildEvent } from '../factories/event.factory';
import { buildMember, type BuiltMember } from '../factories/member.factory';
import { mainText } from '../support/html';
import { browser, follow, signIn, submit, type Agent } from '../support/http';
import { bootWebApp, resetDatabase } from '../support/test-app';

/** The members' side of events over HTTP: list, visibility, registration, waitlist, .ics, feed and time zone. */
describe('events for members', () => {
  let app: NestExpressApplication;
  const em = () => app.get(EntityManager).fork();
  let alumnus: BuiltMember;
  let employee: BuiltMember;
  const ids = {} as Record<'party' | 'osaka' | 'alumniOnly' | 'publicOnline' | 'closed' | 'past' | 'family' | 'small', string>;

  async function as(member: BuiltMember, locale?: 'en'): Promise<Agent> {
    const agent = browser(app);
    await signIn(agent, member.email, member.password);
    if (locale) await submit(agent, '/locale', { locale, next: '/' });
    return agent;
  }

  beforeAll(async () => {
    app = await bootWebApp();
    await resetDatabase(em());
    alumnus = await buildMember(em(), { status: 'alumni', email: 'alumnus@example.jp' });
    employee = await buildMember(em(), { status: 'employee', email: 'employee@example.jp' });
    ids.party = (await buildEvent(em(), { title: '年末懇親会', category: 'party', inDays: 5, capacity: 1, description: '# 案内\n\n**乾杯**します<script>alert(1)</script> [地図](javascript:alert(1))', notes: '名刺をお持ちください' })).id;
    ids.osaka = (await buildEvent(em(), { title: '大阪オフィス見学会', category: 'office-tour', inDays: 20, place: '大阪府大阪市北区梅田', publishedAt: new Date() })).id;
    ids.alumniOnly = (await buildEvent(em(), { title: 'アルムナイ限定ランチ', visibility: 'alumni', inDays: 7 })).id;
    ids.publicOnline = (await buildEvent(em(), { title: '公開オンライン勉強会', category: 'seminar', format: 'online', visibility: 'public', onlineUrl: 'https://meet.example.jp/room-42', inDays: 9, place: null })).id;
    ids.closed = (await buildEvent(em(), { title: '締切済みの会', inDays: 3, deadlineAt: new Date(Date.now() - 3600_000) })).id;
    ids.past = (await buildEvent(em(), { title: '春のボランティア', category: 'volunteer', inDays: -30 })).id;
    ids.family = (await buildEvent(em(), { title: 'ファミリーデー', category: 'family-day', inDays: 30, maxCompanions: 3, capacity: 10 })).id;
  });
  afterAll(() => app.close());

  describe('the list', () => {
    it('shows upcoming events with their badges, and past events on their own tab', async () => {
      const agent = await as(alumnus);
      const text = mainText((await agent.get('/events').expect(200)).text);
      expect(text).toContain('年末懇親会');
      expect(text).toContain('大阪オフィス見学会');
      expect(text).toContain('NEW');
      expect(text).not.toContain('春のボランティア');
      const past = mainText((await agent.get('/events?tab=past').expect(200)).text);
      expect(past).toContain('春のボランティア');
      expect(past).not.toContain('年末懇親会');
    });

    it('filters by category, format and keyword', async () => {
      const agent = await as(alumnus);
      const tours = mainText((await agent.get('/events?category=office-tour').expect(200)).text);
      expect(tours).toContain('大阪オフィス見学会');
      expect(tours).not.toContain('年末懇親会');
      const online = mainText((await agent.get('/events?format=online').expect(200)).text);
      expect(online).toContain('公開オンライン勉強会');
      expect(online).not.toContain('大阪オフィス見学会');
      const osaka = await agent.get('/events?q=' + encodeURIComponent('梅田')).expect(200);
      expect(mainText(osaka.text)).toContain('大阪オフィス見学会');
      expect(mainText(osaka.text)).not.toContain('年末懇親会');
      expect(osaka.text).toContain('<mark>梅田</mark>');
    });

    it('answers impossible filters with a clear page, never a 500', async () => {
      const agent = await as(alumnus);
      for (const query of ['category=picnic', 'format=teleport', 'month=2026-13', 'tab=everything', 'page=0']) {
        const res = await agent.get(`/events?${query}`);
        expect([query, res.status]).toEqual([query, 400]);
      }
    });

    it('shows visitors the public events only', async () => {
      const text = mainText((await browser(app).get('/events').expect(200)).text);
      expect(text).toContain('公開オンライン勉強会');
      expect(text).not.toContain('年末懇親会');
    });
  });

  describe('visibility by status', () => {
    it('keeps an alumni-only event away from employees: not in the list, not in search, 404 on the page and the .ics', async () => {
      const agent = await as(employee);
      expect(mainText((await agent.get('/events').expect(200)).text)).not.toContain('アルムナイ限定ランチ');
      expect(mainText((await agent.get('/events?q=' + encodeURIComponent('ランチ')).expect(200)).text)).not.toContain('アルムナイ限定ランチ');
      const page = await agent.get(`/events/${ids.alumniOnly}`).expect(404);
      expect(mainText(page.text)).toContain('イベントが見つかりません。');
      await agent.get(`/events/${ids.alumniOnly}/calendar.ics`).expect(404);
      const register = await submit(agent, `/events/${ids.alumniOnly}/register`, {}, '/events');
      expect(register.status).toBe(404);
      expect(await em().count(Registration, { eventId: ids.alumniOnly })).toBe(0);
    });

    it('shows it to alumni', async () => {
      const agent = await as(alumnus);
      expect(mainText((await agent.get(`/events/${ids.alumniOnly}`).expect(200)).text)).toContain('アルムナイ限定ランチ');
    });

    it('answers an unknown or malformed id with the not-found page', async () => {
      const agent = await as(alumnus);
      await agent.get('/events/00000000-0000-4000-8000-000000000000').expect(404);
      await agent.get('/events/nonsense').expect(404);
    });
  });

  describe('registration', () => {
    it('confirms, waitlists the next member with a place, and promotes them when the first cancels', async () => {
      const first = await as(alumnus);
      const second = await as(employee);
      const detail = await first.get(`/events/${ids.party}`).expect(200);
      // The description is Markdown made safe; the script and the javascript: link are gone.
      expect(detail.text).toContain('<strong>乾杯</strong>');
      expect(detail.text).not.toContain('<script>alert(1)</script>');
      expect(detail.text).not.toMatch(/href="javascript:/);
      expect(mainText(detail.text)).toContain('名刺をお持ちください');

      const ok = await submit(first, `/events/${ids.party}/register`, {}, `/events/${ids.party}`);
      expect([ok.status, ok.headers.location]).toEqual([303, `/events/${ids.party}`]);
      const confirmedPage = mainText((await follow(first, ok)).text);
      expect(confirmedPage).toContain('参加を受け付けました。');
      expect(confirmedPage).toContain('参加が確定しています。');

      const waiting = await submit(second, `/events/${ids.party}/register`, {}, `/events/${ids.party}`);
      const waitingPage = mainText((await follow(second, waiting)).text);
      expect(waitingPage).toContain('キャンセル待ちで受け付けました。');
      expect(waitingPage).toContain('キャンセル待ち 1番目です。');

      const cancel = await submit(first, `/events/${ids.party}/cancel-registration`, {}, `/events/${ids.party}`);
      expect(mainText((await follow(first, cancel)).text)).toContain('申込みを取り消しました。');
      expect(mainText((await second.get(`/events/${ids.party}`).expect(200)).text)).toContain('参加が確定しています。');
      const mine = mainText((await second.get('/events?tab=mine').expect(200)).text);
      expect(mine).toContain('年末懇親会');
      expect(mine).toContain('参加確定');
    });

    it('refuses registering twice with a clear message (Japanese and English), never a 500', async () => {
      const agent = await as(alumnus);
      await submit(agent, `/events/${ids.osaka}/register`, {}, `/events/${ids.osaka}`);
      const again = await submit(agent, `/events/${ids.osaka}/register`, {}, `/events/${ids.osaka}`);
      expect([again.status, again.headers.location]).toEqual([303, `/events/${ids.osaka}`]);
      expect(mainText((await follow(agent, again)).text)).toContain('すでに参加が確定しています。');
      const english = await as(employee, 'en');
      await submit(english, `/events/${ids.osaka}/register`, {}, `/events/${ids.osaka}`);
      const twice = await submit(english, `/events/${ids.osaka}/register`, {}, `/events/${ids.osaka}`);
      expect(mainText((await follow(english, twice)).text)).toContain('You are already registered.');
      expect(await em().count(Registration, { eventId: ids.osaka })).toBe(2);
    });

    it('refuses after the deadline and too many companions, with the message on the page', async () => {
      const agent = await as(alumnus);
      const closedPage = mainText((await agent.get(`/events/${ids.closed}`).expect(200)).text);
      expect(closedPage).toContain('申込みの受付は終了しました。');
      const late = await submit(agent, `/events/${ids.closed}/register`, {}, `/events/${ids.closed}`);
      expect(mainText((await follow(agent, late)).text)).toContain('申込みの受付は締め切りました。');
      const crowd = await submit(agent, `/events/${ids.family}/register`, { companions: 4 }, `/events/${ids.family}`);
      expect(mainText((await follow(agent, crowd)).text)).toContain('同伴者は3名までです。');
      const junk = await submit(agent, `/events/${ids.family}/register`, { companions: 'many' }, `/events/${ids.family}`);
      expect(junk.status).toBe(303);
      expect(mainText((await follow(agent, junk)).text)).toContain('整数で入力してください。');
      const family = await submit(agent, `/events/${ids.family}/register`, { companions: 2 }, `/events/${ids.family}`);
      expect(mainText((await follow(agent, family)).text)).toContain('同伴者2名');
      expect(await em().count(Registration, { eventId: ids.closed })).toBe(0);
    });

    it('does not let a pending applicant or a visitor register', async () => {
      const pending = await buildMember(em(), { status: 'pending' });
      const agent = browser(app);
      await signIn(agent, pending.email, pending.password);
      expect((await submit(agent, `/events/${ids.publicOnline}/register`, {})).status).toBe(403);
      expect((await submit(browser(app), `/events/${ids.publicOnline}/register`, {})).headers.location).toBe('/login');
    });
  });

  describe('calendar', () => {
    it('gives an .ics for an event, with the online URL only for a confirmed participant', async () => {
      const visitor = await browser(app).get(`/events/${ids.publicOnline}/calendar.ics`).expect(200);
      expect(visitor.headers['content-type']).toMatch(/^text\/calendar/);
      expect(visitor.text).toContain('BEGIN:VCALENDAR\r\n');
      expect(visitor.text).toContain(`UID:event-${ids.publicOnline}@`);
      const unfolded = visitor.text.replace(/\r\n /g, '');
      expect(unfolded).toContain('SUMMARY:公開オンライン勉強会\r\n');
      expect(unfolded).toMatch(/DTSTART:\d{8}T\d{6}Z\r\n/);
      expect(unfolded).toContain(`URL:http://kizuna.test/events/${ids.publicOnline}\r\n`);
      expect(unfolded).not.toContain('meet.example.jp');
      const agent = await as(alumnus);
      await submit(agent, `/events/${ids.publicOnline}/register`, {}, `/events/${ids.publicOnline}`);
      const mine = (await agent.get(`/events/${ids.publicOnline}/calendar.ics`).expect(200)).text.replace(/\r\n /g, '');
      expect(mine).toContain('LOCATION:https://meet.example.jp/room-42\r\n');
      expect(mainText((await agent.get(`/events/${ids.publicOnline}`).expect(200)).text)).toContain('https://meet.example.jp/room-42');
    });

    it('creates a personal feed, serves it by its secret URL, and stops serving it once revoked', async () => {
      const member = await buildMember(em(), { status: 'alumni' });
      const agent = await as(member);
      await submit(agent, `/events/${ids.family}/register`, {}, `/events/${ids.family}`);
      expect(mainText((await agent.get('/account/calendar').expect(200)).text)).toContain('配信URLはまだ発行されていません。');
      const created = await submit(agent, '/account/calendar', {}, '/account/calendar');
      expect([created.status, created.headers.location]).toEqual([303, '/account/calendar']);
      const page = (await follow(agent, created)).text;
      const url = /value="(http:\/\/kizuna\.test\/calendar\/feed\/[\w-]+\.ics)"/.exec(page)?.[1];
      expect(url).toBeDefined();
      // Shown once: the next visit says a feed exists without showing the secret again.
      const later = (await agent.get('/account/calendar').expect(200)).text;
      expect(later).not.toContain(url!);
      expect(mainText(later)).toContain('配信URLは発行済みです');

      const path = new URL(url!).pathname;
      const feed = await browser(app).get(path).expect(200);
      expect(feed.headers['content-type']).toMatch(/^text\/calendar/);
      expect(feed.text.replace(/\r\n /g, '')).toContain('SUMMARY:ファミリーデー\r\n');
      expect(feed.text).not.toContain('年末懇親会');

      await submit(agent, '/account/calendar/revoke', {}, '/account/calendar');
      await browser(app).get(path).expect(404);
      await browser(app).get('/calendar/feed/not-a-real-token-at-all-0000.ics').expect(404);
    });
  });

  describe('time zone', () => {
    it('shows event times in the zone the member chose, and refuses a made-up zone', async () => {
      const member = await buildMember(em(), { status: 'alumni' });
      const agent = await as(member);
      const event = await buildEvent(em(), { title: '時差の確認', startsAt: new Date('2099-06-01T09:00:00Z') });
      expect(mainText((await agent.get(`/events/${event.id}`).expect(200)).text)).toContain('18:00');
      const bad = await submit(agent, '/account/time-zone', { timeZone: 'Mars/Olympus' }, '/account');
      expect(bad.headers.location).toBe('/account');
      expect(mainText((await follow(agent, bad)).text)).toContain('一覧からタイムゾーンを選んでください。');
      const ok = await submit(agent, '/account/time-zone', { timeZone: 'Europe/London' }, '/account');
      expect(ok.headers.location).toBe('/account#time-zone');
      const page = mainText((await agent.get(`/events/${event.id}`).expect(200)).text);
      expect(page).toContain('10:00');
      expect(page).toContain('イギリス時間');
    });
  });
});
