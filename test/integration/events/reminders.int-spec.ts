import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { MailMessage } from '@libs/mail/mail-message.entity';
import { MailWorkerModule } from '@libs/mail/mail.module';
import { integrationEvent, type IntegrationEvent } from '@libs/outbox/integration-event';
import { IntegrationEventsProcessor } from '@libs/outbox/integration-events.processor';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { OutboxRelay } from '@libs/outbox/outbox-relay.service';
import { OutboxWorkerModule } from '@libs/outbox/outbox.module';
import { QueueModule } from '@libs/queue/queue.module';
import { EVENTS_QUEUES, EventsEvents, type ReminderKind } from '@modules/events/contracts';
import { SendEventRemindersCommand } from '@modules/events/application/reminders';
import { reminderJobId, reminderKey } from '@modules/events/application/reminders/reminder-schedule';
import type { Event } from '@modules/events/domain/event.entity';
import { Registration } from '@modules/events/domain/registration.entity';
import { EventRemindersProcessor, REMINDER_SWEEP_SCHEDULER } from '@modules/events/jobs/event-reminders.processor';
import { EventsWorkerModule } from '@modules/events/jobs/events-worker.module';
import { MembershipModule } from '@modules/membership/membership.module';
import { Notification } from '@modules/notifications/domain/notification.entity';
import { NotificationsModule } from '@modules/notifications/notifications.module';
import { buildEvent } from '../../factories/event.factory';
import { buildMember, type BuiltMember } from '../../factories/member.factory';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';

// The sweeper is driven by hand here (sweep(now)); its start-up run would race the tests' own clock.
process.env.KIZUNA_REMINDER_SWEEPER = 'off';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const PENDING_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;

describe('event reminders: scheduling, moves, once-only and the sweeper (PostgreSQL and Redis)', () => {
  let h: ModuleHarness;
  let events: IntegrationEventsProcessor;
  let relay: OutboxRelay;
  let reminders: EventRemindersProcessor;
  let reminderQueue: Queue;

  beforeAll(async () => {
    h = await bootModules([MembershipModule, NotificationsModule, OutboxWorkerModule, MailWorkerModule, QueueModule, EventsWorkerModule]);
    events = h.app.get(IntegrationEventsProcessor);
    relay = h.app.get(OutboxRelay);
    reminders = h.app.get(EventRemindersProcessor);
    reminderQueue = h.app.get<Queue>(getQueueToken(EVENTS_QUEUES.reminders));
  });
  beforeEach(async () => {
    await reminderQueue.obliterate({ force: true });
    await resetDatabase(h.em);
  });
  afterAll(() => h.close());

  async function register(event: Event, member: BuiltMember, state: Registration['state'] = 'confirmed'): Promise<Registration> {
    const em = h.em.fork();
    const [{ seq }] = await em.execute<{ seq: string }[]>(`select nextval('events.registration_seq')::text as seq`);
    const r = new Registration(event.id, member.member.id, state, 0, seq);
    await em.persist(r).flush();
    return r;
  }

  const reminderRows = () =>
    h.fresh((em) => em.find(OutboxMessage, { queue: EVENTS_QUEUES.reminders }, { orderBy: { runAt: 'asc' } }));
  const reminderDueRows = () => h.fresh((em) => em.find(OutboxMessage, { name: EventsEvents.reminderDue }, { orderBy: { createdAt: 'asc' } }));

  /** What the integration-events worker does with every waiting event of the outbox (each handler once). */
  async function deliverOutboxEvents(): Promise<IntegrationEvent[]> {
    const rows = await h.fresh((em) => em.find(OutboxMessage, { queue: 'integration-events', relayedAt: null }, { orderBy: { createdAt: 'asc' } }));
    await h.fresh((em) => em.nativeUpdate(OutboxMessage, { id: { $in: rows.map((r) => r.id) } }, { relayedAt: new Date() }));
    const list = rows.map((r) => r.payload as unknown as IntegrationEvent);
    for (const e of list) await events.dispatch(e);
    return list;
  }

  async function waitUntil(what: string, probe: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!(await probe())) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('schedules the 24 h and 1 h reminders of a published event in the outbox, delayed until due, under deterministic ids', async () => {
    const event = await buildEvent(h.em.fork(), { inDays: 3 });
    await events.dispatch(integrationEvent(EventsEvents.eventPublished, { communityEventId: event.id }));

    const rows = await reminderRows();
    expect(rows.map((r) => ({ name: r.name, jobId: r.jobId, runAt: r.runAt?.toISOString(), payload: r.payload }))).toEqual([
      { name: 'send', jobId: reminderJobId(event.id, '24h', event.startsAt), runAt: new Date(event.startsAt.getTime() - DAY).toISOString(), payload: { eventId: event.id, kind: '24h', startsAt: event.startsAt.toISOString() } },
      { name: 'send', jobId: reminderJobId(event.id, '1h', event.startsAt), runAt: new Date(event.startsAt.getTime() - HOUR).toISOString(), payload: { eventId: event.id, kind: '1h', startsAt: event.startsAt.toISOString() } },
    ]);

    // The relay hands them to BullMQ as delayed jobs under the same ids.
    await relay.drain();
    for (const row of rows) {
      const job = await reminderQueue.getJob(row.jobId);
      expect(await job?.getState()).toBe('delayed');
      expect(job!.timestamp + (job!.opts.delay ?? 0)).toBeGreaterThanOrEqual(row.runAt!.getTime() - 5_000);
      expect(job!.timestamp + (job!.opts.delay ?? 0)).toBeLessThanOrEqual(row.runAt!.getTime() + 5_000);
    }
  });

  it('skips a reminder whose time has passed: less than a day ahead only the 1 h one, within the hour none', async () => {
    const soon = await buildEvent(h.em.fork(), { startsAt: new Date(Date.now() + 5 * HOUR) });
    const now = await buildEvent(h.em.fork(), { startsAt: new Date(Date.now() + 30 * 60_000) });
    const draft = await buildEvent(h.em.fork(), { inDays: 3, state: 'draft' });
    for (const e of [soon, now, draft]) await events.dispatch(integrationEvent(EventsEvents.eventPublished, { communityEventId: e.id }));

    const rows = await reminderRows();
    expect(rows.map((r) => r.jobId)).toEqual([reminderJobId(soon.id, '1h', soon.startsAt)]);
  });

  it('follows a moved start time: new reminders at the new time, the old job does nothing', async () => {
    const event = await buildEvent(h.em.fork(), { inDays: 3 });
    const [a, b] = [await buildMember(h.em.fork()), await buildMember(h.em.fork())];
    await register(event, a);
    await register(event, b);
    await events.dispatch(integrationEvent(EventsEvents.eventPublished, { communityEventId: event.id }));
    const oldStart = event.startsAt;

    const newStart = new Date(oldStart.getTime() + 2 * DAY + 90 * 60_000);
    await h.fresh((em) => em.execute('update events.event set starts_at = ?, ends_at = ? where id = ?', [newStart, new Date(newStart.getTime() + 2 * HOUR), event.id]));
    await events.dispatch(integrationEvent(EventsEvents.eventChanged, { communityEventId: event.id, changed: ['startsAt', 'endsAt'], memberIds: [a.member.id, b.member.id] }));
    // A change that leaves the start alone schedules nothing more.
    await events.dispatch(integrationEvent(EventsEvents.eventChanged, { communityEventId: event.id, changed: ['place'], memberIds: [] }));

    const rows = await reminderRows();
    expect(rows.map((r) => [r.jobId, r.runAt?.toISOString()])).toEqual([
      [reminderJobId(event.id, '24h', oldStart), new Date(oldStart.getTime() - DAY).toISOString()],
      [reminderJobId(event.id, '1h', oldStart), new Date(oldStart.getTime() - HOUR).toISOString()],
      [reminderJobId(event.id, '24h', newStart), new Date(newStart.getTime() - DAY).toISOString()],
      [reminderJobId(event.id, '1h', newStart), new Date(newStart.getTime() - HOUR).toISOString()],
    ]);

    // The old 24 h job comes due: the event no longer starts then, so nobody is reminded.
    const old = await h.command(new SendEventRemindersCommand(event.id, '24h', oldStart, new Date(oldStart.getTime() - DAY)));
    expect(old).toEqual({ outcome: 'moved', members: 0 });
    expect(await reminderDueRows()).toHaveLength(0);

    // The new one reminds both members of the new time.
    const sent = await h.command(new SendEventRemindersCommand(event.id, '24h', newStart, new Date(newStart.getTime() - DAY)));
    expect(sent).toEqual({ outcome: 'sent', members: 2 });
    const due = await reminderDueRows();
    expect(due.map((r) => (r.payload as { startsAt: string }).startsAt)).toEqual([newStart.toISOString(), newStart.toISOString()]);
  });

  it('reminds each confirmed member once, even when the job runs twice and every notice is delivered twice', async () => {
    const event = await buildEvent(h.em.fork(), { title: '年末懇親会', startsAt: new Date(Date.now() + DAY + 5 * 60_000) });
    const ja = await buildMember(h.em.fork(), { familyName: '山田', givenName: '花子' });
    const en = await buildMember(h.em.fork(), { familyName: 'Smith', givenName: 'Jane' });
    await h.fresh((em) => em.execute(`update membership.member set locale = 'en' where id = ?`, [en.member.id]));
    const waitlisted = await buildMember(h.em.fork());
    const cancelled = await buildMember(h.em.fork());
    await register(event, ja);
    await register(event, en);
    await register(event, waitlisted, 'waitlisted');
    await register(event, cancelled, 'cancelled');

    const now = new Date(event.startsAt.getTime() - DAY);
    expect(await h.command(new SendEventRemindersCommand(event.id, '24h', event.startsAt, now))).toEqual({ outcome: 'sent', members: 2 });
    // A worker killed after the fan-out committed: the job is retried, and the sweeper adds it again.
    expect(await h.command(new SendEventRemindersCommand(event.id, '24h', event.startsAt, now))).toEqual({ outcome: 'already-done', members: 0 });
    expect(await reminders.sweep(new Date(now.getTime() + 60_000))).toBe(0);

    const due = await reminderDueRows();
    expect(due.map((r) => (r.payload as { memberId: string }).memberId).sort()).toEqual([ja.member.id, en.member.id].sort());
    const delivered = await deliverOutboxEvents();
    // Delivered again (a retried integration-event job).
    for (const e of delivered) await events.dispatch({ ...e });

    const mails = await h.fresh((em) => em.find(MailMessage, { template: 'notifications/event-reminder' }, { orderBy: { to: 'asc' } }));
    expect(mails.map((m) => m.to).sort()).toEqual([ja.email, en.email].sort());
    const jaMail = mails.find((m) => m.to === ja.email)!;
    expect(jaMail.subject).toBe('【Kizuna】明日開催: 年末懇親会');
    expect(jaMail.text).toContain('山田 花子 様');
    expect(jaMail.text).toContain('http://kizuna.test/events/' + event.id);
    const enMail = mails.find((m) => m.to === en.email)!;
    expect(enMail.subject).toBe('[Kizuna] Tomorrow: 年末懇親会');
    expect(enMail.text).toContain('is tomorrow');

    const notes = await h.fresh((em) => em.find(Notification, {}, { orderBy: { memberId: 'asc' } }));
    expect(notes.map((n) => [n.memberId, n.kind, n.link]).sort()).toEqual(
      [[ja.member.id, 'reminder-24h', `/events/${event.id}`], [en.member.id, 'reminder-24h', `/events/${event.id}`]].sort(),
    );
  });

  it('reminds nobody of a cancelled event, nor of one that has started', async () => {
    const cancelled = await buildEvent(h.em.fork(), { inDays: 2, state: 'cancelled' });
    const started = await buildEvent(h.em.fork(), { startsAt: new Date(Date.now() - 60_000) });
    for (const e of [cancelled, started]) await register(e, await buildMember(h.em.fork()));

    expect(await h.command(new SendEventRemindersCommand(cancelled.id, '24h', cancelled.startsAt))).toEqual({ outcome: 'not-published', members: 0 });
    expect(await h.command(new SendEventRemindersCommand(started.id, '1h', started.startsAt))).toEqual({ outcome: 'started', members: 0 });
    expect(await reminderDueRows()).toHaveLength(0);
  });

  it('the sweeper adds the jobs of reminders due within 10 minutes or overdue by less than an hour, once', async () => {
    const now = new Date();
    const dueSoon = await buildEvent(h.em.fork(), { startsAt: new Date(now.getTime() + DAY + 5 * 60_000) });
    const overdue = await buildEvent(h.em.fork(), { startsAt: new Date(now.getTime() + HOUR - 30 * 60_000) });
    const tooLate = await buildEvent(h.em.fork(), { startsAt: new Date(now.getTime() + DAY - 2 * HOUR) });
    const later = await buildEvent(h.em.fork(), { startsAt: new Date(now.getTime() + DAY + HOUR) });
    const lateDraft = await buildEvent(h.em.fork(), { startsAt: new Date(now.getTime() + DAY + 5 * 60_000), state: 'draft' });
    // Published after its 24 h reminder was due: that reminder was never scheduled, so it is not swept either.
    const publishedLate = await buildEvent(h.em.fork(), { startsAt: new Date(now.getTime() + DAY - 20 * 60_000), publishedAt: new Date(now.getTime() - 5 * 60_000) });
    void [tooLate, later, lateDraft, publishedLate];

    expect(await reminders.sweep(now)).toBe(2);
    const soonJob = await reminderQueue.getJob(reminderJobId(dueSoon.id, '24h', dueSoon.startsAt));
    expect(await soonJob?.getState()).toBe('delayed');
    expect(soonJob?.opts.delay).toBe(5 * 60_000);
    const overdueJob = await reminderQueue.getJob(reminderJobId(overdue.id, '1h', overdue.startsAt));
    expect(overdueJob?.data).toEqual({ eventId: overdue.id, kind: '1h', startsAt: overdue.startsAt.toISOString() });
    expect(overdueJob?.opts.delay).toBe(0);
    const counts = await reminderQueue.getJobCounts(...PENDING_STATES, 'completed');
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(total).toBe(2);

    // The worker runs the overdue one at once; its key is then taken, so the sweeper leaves it alone.
    await waitUntil('the overdue reminder job to complete', async () => (await overdueJob?.getState()) === 'completed' || (await reminderQueue.getJob(overdueJob!.id!).then((j) => j?.getState())) === 'completed');
    expect(await h.fresh((em) => em.execute<{ key: string }[]>('select key from platform.processed_job where key like ?', ['event-reminder:%']))).toEqual([
      { key: reminderKey(overdue.id, '1h', overdue.startsAt) },
    ]);
    // Sweeping again adds nothing new: the one still ahead has the same id.
    expect(await reminders.sweep(now)).toBe(1);
    expect(Object.values(await reminderQueue.getJobCounts(...PENDING_STATES, 'completed')).reduce((a, b) => a + b, 0)).toBe(2);
    // Once done, it is no longer swept either.
    await h.command(new SendEventRemindersCommand(dueSoon.id, '24h', dueSoon.startsAt, new Date(dueSoon.startsAt.getTime() - DAY)));
    expect(await reminders.sweep(now)).toBe(0);
  });

  it('registers the sweeper as a repeatable job every 5 minutes when the worker starts', async () => {
    process.env.KIZUNA_REMINDER_SWEEPER = 'on';
    try {
      await reminders.onApplicationBootstrap();
    } finally {
      process.env.KIZUNA_REMINDER_SWEEPER = 'off';
    }
    const scheduler = await reminderQueue.getJobScheduler(REMINDER_SWEEP_SCHEDULER);
    expect(scheduler).toMatchObject({ name: 'sweep', every: 5 * 60_000 });
    // Its first run goes at once; the next waits 5 minutes.
    await waitUntil('the first sweep to complete', async () => (await reminderQueue.getJobs(['completed'])).some((j) => j.name === 'sweep'));
    const next = (await reminderQueue.getJobs(['delayed'])).filter((j) => j.name === 'sweep');
    expect(next).toHaveLength(1);
    await reminderQueue.removeJobScheduler(REMINDER_SWEEP_SCHEDULER);
  });

  it('goes the real way once: outbox → BullMQ delayed job → reminder → notices → mail sent', async () => {
    const event = await buildEvent(h.em.fork(), { title: 'オンライン勉強会', format: 'online', startsAt: new Date(Date.now() + HOUR + 1500) });
    const member = await buildMember(h.em.fork());
    await register(event, member);
    await events.dispatch(integrationEvent(EventsEvents.eventPublished, { communityEventId: event.id }));
    const jobId = reminderJobId(event.id, '1h' as ReminderKind, event.startsAt);

    const deadline = Date.now() + 15_000;
    let mail: MailMessage | null = null;
    while (!mail) {
      if (Date.now() > deadline) throw new Error('Timed out waiting for the reminder mail to be sent');
      await relay.drain();
      mail = await h.fresh((em) => em.findOne(MailMessage, { template: 'notifications/event-reminder', to: member.email, sentAt: { $ne: null } }));
      if (!mail) await new Promise((r) => setTimeout(r, 100));
    }
    expect(mail.subject).toBe('【Kizuna】1時間後に開催: オンライン勉強会');
    expect(await (await reminderQueue.getJob(jobId))?.getState()).toBe('completed');
    expect(await h.fresh((em) => em.count(Notification, { memberId: member.member.id, kind: 'reminder-1h' }))).toBe(1);
    expect(await h.fresh((em) => em.count(MailMessage, { template: 'notifications/event-reminder' }))).toBe(1);
  });
});
