import { randomUUID } from 'node:crypto';
import type { Viewer } from '@libs/security/access-policy';
import { CancelRegistrationCommand, EventsEvents, RegisterForEventCommand, type RegistrationResult } from '@modules/events/contracts';
import { Event } from '@modules/events/domain/event.entity';
import { EventsModule } from '@modules/events/events.module';
import { MembershipModule } from '@modules/membership/membership.module';
import { buildEvent } from '../../factories/event.factory';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';

jest.setTimeout(120_000);

/**
 * The fair waitlist under load, on real PostgreSQL. The application's pool has 10 connections (libs/database), so at
 * most 10 registrations are inside a transaction at any moment while the rest wait for a connection; all of them are
 * started at once in waves of 100 with Promise.all, so they really race for the event row's lock. The test never
 * needs more than the pool's 10 connections of PostgreSQL's 100.
 */
describe('registration under concurrency', () => {
  let h: ModuleHarness;
  const alumnus = (): Viewer => ({ memberId: randomUUID(), status: 'alumni', role: 'member', displayName: 'x', locale: null, sessionVersion: 1 });

  interface Row {
    id: string;
    member_id: string;
    state: string;
    seq: string;
    registered_at: Date;
    promoted_at: Date | null;
  }
  const rowsOf = (eventId: string) =>
    h.fresh((em) => em.execute<Row[]>('select id, member_id, state, seq::text as seq, registered_at, promoted_at from events.registration r where r.event_id = ? order by r.seq', [eventId]));
  const published = (eventId: string, type: string) =>
    h.fresh((em) =>
      em.execute<{ registration_id: string }[]>(`select payload->>'registrationId' as registration_id from platform.outbox where name = ? and payload->>'communityEventId' = ?`, [type, eventId]),
    );

  async function burst<T>(tasks: (() => Promise<T>)[], wave = 100): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < tasks.length; i += wave) out.push(...(await Promise.all(tasks.slice(i, i + wave).map((t) => t()))));
    return out;
  }

  beforeAll(async () => {
    h = await bootModules([MembershipModule, EventsModule]);
    await resetDatabase(h.em);
  });
  afterAll(() => h?.close());

  it('gives 500 simultaneous registrations for 100 seats exactly 100 confirmed and 400 waitlisted, in order of arrival', async () => {
    const event = await buildEvent(h.em.fork(), { capacity: 100 });
    const viewers = Array.from({ length: 500 }, alumnus);

    const results = await burst(viewers.map((v) => () => h.command(new RegisterForEventCommand(v, event.id, 0))));

    expect(results.filter((r) => r.state === 'confirmed')).toHaveLength(100);
    expect(results.filter((r) => r.state === 'waitlisted')).toHaveLength(400);
    const rows = await rowsOf(event.id);
    expect(rows).toHaveLength(500);
    // seq is the order in which registrations got the lock: distinct, and the first 100 of them are the confirmed ones.
    const seqs = rows.map((r) => BigInt(r.seq));
    expect(new Set(seqs.map(String)).size).toBe(500);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i] > seqs[i - 1]).toBe(true);
    expect(rows.slice(0, 100).every((r) => r.state === 'confirmed')).toBe(true);
    expect(rows.slice(100).every((r) => r.state === 'waitlisted')).toBe(true);
    // Each registration's time was taken under the lock, so it never goes back in seq order.
    for (let i = 1; i < rows.length; i++) expect(new Date(rows[i].registered_at).getTime()).toBeGreaterThanOrEqual(new Date(rows[i - 1].registered_at).getTime());
    // The places the members were told are 1…400, in the order of the queue.
    const byRegistration = new Map<string, RegistrationResult>(results.map((r) => [r.registrationId, r]));
    expect(rows.slice(100).map((r) => byRegistration.get(r.id)?.position)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    // The counters on the row equal the rows.
    const counted = await h.fresh((em) => em.findOneOrFail(Event, { id: event.id }));
    expect([counted.confirmedSeats, counted.waitlistCount]).toEqual([100, 400]);
    expect(await published(event.id, EventsEvents.registrationConfirmed)).toHaveLength(100);
    expect(await published(event.id, EventsEvents.registrationWaitlisted)).toHaveLength(400);
  });

  it('promotes exactly one waitlisted member per concurrent cancellation, each once, first come first served', async () => {
    const event = await buildEvent(h.em.fork(), { capacity: 100 });
    const viewers = Array.from({ length: 200 }, alumnus);
    await burst(viewers.map((v) => () => h.command(new RegisterForEventCommand(v, event.id, 0))));
    const before = await rowsOf(event.id);
    const confirmed = before.filter((r) => r.state === 'confirmed').map((r) => r.member_id);
    const firstWaiting = before.filter((r) => r.state === 'waitlisted').slice(0, 40).map((r) => r.id);
    const leaving = new Set(confirmed.slice(0, 40));
    const leavers = viewers.filter((v) => leaving.has(v.memberId));

    // Everyone leaves at once; a few try twice (a double click), which must not free a second seat.
    const outcomes = await Promise.allSettled([...leavers, ...leavers.slice(0, 5)].map((v) => h.command(new CancelRegistrationCommand(v, event.id))));

    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(40);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(refused.map((o) => (o.reason as { code: string }).code)).toEqual(Array(5).fill('events.errors.notRegistered'));
    const promotedCount = outcomes.reduce((n, o) => n + (o.status === 'fulfilled' ? o.value.promoted : 0), 0);
    expect(promotedCount).toBe(40);

    const after = await rowsOf(event.id);
    const promoted = after.filter((r) => r.promoted_at).map((r) => r.id);
    expect(promoted.sort()).toEqual([...firstWaiting].sort());
    const promotions = (await published(event.id, EventsEvents.registrationPromoted)).map((p) => p.registration_id);
    expect(promotions).toHaveLength(40);
    expect(new Set(promotions).size).toBe(40);
    expect(promotions.sort()).toEqual([...firstWaiting].sort());

    const counted = await h.fresh((em) => em.findOneOrFail(Event, { id: event.id }));
    const confirmedRows = after.filter((r) => r.state === 'confirmed').length;
    const waitingRows = after.filter((r) => r.state === 'waitlisted').length;
    expect([confirmedRows, waitingRows]).toEqual([100, 60]);
    expect([counted.confirmedSeats, counted.waitlistCount]).toEqual([confirmedRows, waitingRows]);
  });
});
