import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { ApplyForMembershipCommand, DecideApplicationCommand, VerifyEmailCommand, type ApplicationInput } from '@modules/membership/contracts';
import { MembershipModule } from '@modules/membership/membership.module';
import { NotificationsModule } from '@modules/notifications/notifications.module';
import { MailMessage } from '@libs/mail/mail-message.entity';
import { MailWorkerModule } from '@libs/mail/mail.module';
import { MailProcessor } from '@libs/mail/mail.processor';
import { MailTransport } from '@libs/mail/mail-transport';
import type { IntegrationEvent } from '@libs/outbox/integration-event';
import { IntegrationEventsProcessor } from '@libs/outbox/integration-events.processor';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { OutboxRelay } from '@libs/outbox/outbox-relay.service';
import { OutboxWorkerModule } from '@libs/outbox/outbox.module';
import { ProcessedJob } from '@libs/outbox/processed-job.entity';
import { QueueModule } from '@libs/queue/queue.module';
import { INTEGRATION_EVENTS_QUEUE, MAIL_QUEUE } from '@libs/queue/queue-names';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';
import { buildMember, type BuiltMember } from '../../factories/member.factory';

const DEADLINE_MS = 10_000;
const POLL_MS = 50;
const PENDING_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;

function applicationOf(email: string, names: Pick<ApplicationInput, 'familyName' | 'givenName' | 'familyNameKana' | 'givenNameKana'>): ApplicationInput {
  return { email, password: 'a-long-pass-2026', appliedAs: 'alumni', lastDepartment: '人事部', joinedYear: 2012, leftYear: 2020, ...names };
}

describe('outbox relay, integration events and mail sending (worker path, PostgreSQL and Redis)', () => {
  let h: ModuleHarness;
  let relay: OutboxRelay;
  let events: IntegrationEventsProcessor;
  let mailer: MailProcessor;
  let transport: MailTransport;
  let mailQueue: Queue;
  let eventQueue: Queue;
  let operator: BuiltMember;

  beforeAll(async () => {
    h = await bootModules([MembershipModule, NotificationsModule, OutboxWorkerModule, MailWorkerModule, QueueModule]);
    relay = h.app.get(OutboxRelay);
    events = h.app.get(IntegrationEventsProcessor);
    mailer = h.app.get(MailProcessor);
    transport = h.app.get(MailTransport);
    mailQueue = h.app.get<Queue>(getQueueToken(MAIL_QUEUE));
    eventQueue = h.app.get<Queue>(getQueueToken(INTEGRATION_EVENTS_QUEUE));
  });
  beforeEach(async () => {
    await resetDatabase(h.em);
    operator = await buildMember(h.em.fork(), { status: 'employee', role: 'operator' });
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    // Let the workers finish what this test handed them before the next test empties the database.
    await waitFor('the queues to be idle', async () => (await mailQueue.getJobCountByTypes(...PENDING_STATES)) + (await eventQueue.getJobCountByTypes(...PENDING_STATES)) === 0, false);
  });
  afterAll(() => h.close());

  /** Polls until `probe` answers something truthy (relaying the outbox first each time, as the worker's timer would). */
  async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, drain = true): Promise<T> {
    const deadline = Date.now() + DEADLINE_MS;
    for (;;) {
      if (drain) await relay.drain();
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`Timed out after ${DEADLINE_MS} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  const sentMail = (template: string, to: string) =>
    waitFor(`a sent ${template} mail to ${to}`, () => h.fresh((em) => em.findOne(MailMessage, { template, to, sentAt: { $ne: null } })));

  /** Applies and confirms the address through the link in the verification mail, so the application can be approved. */
  async function applyVerified(input: ApplicationInput, locale: 'ja' | 'en'): Promise<string> {
    const { memberId } = await h.command(new ApplyForMembershipCommand(input, locale));
    const mail = await h.fresh((em) => em.findOneOrFail(MailMessage, { template: 'membership/verify-email', to: input.email.toLowerCase() }));
    await h.command(new VerifyEmailCommand(/verify-email\/([\w-]{43})/.exec(mail.text)?.[1] as string));
    return memberId;
  }

  async function jobState(queue: Queue, jobId: string) {
    const job = await queue.getJob(jobId);
    if (!job) return null;
    return { state: await job.getState(), timestamp: job.timestamp, finishedOn: job.finishedOn, attemptsMade: job.attemptsMade };
  }

  const queueOf = (row: OutboxMessage) => (row.queue === MAIL_QUEUE ? mailQueue : eventQueue);

  it('relays committed outbox rows to BullMQ under their job ids and marks them relayed', async () => {
    await h.command(new ApplyForMembershipCommand(applicationOf('relay@example.jp', { familyName: '中継', givenName: '太郎', familyNameKana: 'チュウケイ', givenNameKana: 'タロウ' }), 'ja'));
    const rows = await h.fresh((em) => em.find(OutboxMessage, {}));
    expect(rows.map((r) => r.name).sort()).toEqual(['membership.application-submitted', 'send']);

    expect(await relay.drain()).toBe(2);
    expect(await relay.drain()).toBe(0);

    const relayed = await h.fresh((em) => em.find(OutboxMessage, {}));
    expect(relayed.every((r) => r.relayedAt instanceof Date)).toBe(true);
    for (const row of relayed) {
      const job = await queueOf(row).getJob(row.jobId);
      expect(job).toBeDefined();
      expect(job?.name).toBe(row.name);
      expect(job?.data).toEqual(row.payload);
    }
  });

  it('tells an approved applicant by e-mail, in their language, and sends it', async () => {
    const memberId = await applyVerified(applicationOf('Jane.Smith@Example.com', { familyName: 'Smith', givenName: 'Jane', familyNameKana: 'スミス', givenNameKana: 'ジェーン' }), 'en');
    await h.command(new DecideApplicationCommand(operator.viewer, memberId, 'approve'));

    const mail = await sentMail('notifications/application-approved', 'jane.smith@example.com');
    expect(mail).toMatchObject({ locale: 'en', transport: 'local', attempts: 1, key: `application-decided:${memberId}` });
    expect(mail.subject).toBe('[Kizuna] Your membership was approved');
    expect(mail.text).toContain('Dear Smith Jane,');
    expect(mail.text).toContain('has been approved');
    expect(mail.text).toContain('http://kizuna.test/login');
    // Local transport keeps the body, readable by admins.
    expect(mail.html).toContain('<a href="http://kizuna.test/login">');
    expect(await h.fresh((em) => em.count(MailMessage, { template: { $like: 'notifications/%' } }))).toBe(1);
  });

  it('tells a declined applicant the reason by e-mail, in their language, and sends it', async () => {
    const { memberId } = await h.command(
      new ApplyForMembershipCommand(applicationOf('hanako@example.jp', { familyName: '佐藤', givenName: '花子', familyNameKana: 'サトウ', givenNameKana: 'ハナコ' }), 'ja'),
    );
    await h.command(new DecideApplicationCommand(operator.viewer, memberId, 'decline', '在籍を確認できませんでした'));

    const mail = await sentMail('notifications/application-declined', 'hanako@example.jp');
    expect(mail).toMatchObject({ locale: 'ja', transport: 'local', attempts: 1 });
    expect(mail.subject).toBe('【Kizuna】入会申請について');
    expect(mail.text).toContain('佐藤 花子 様');
    expect(mail.text).toContain('在籍を確認できませんでした');
    expect(mail.text).not.toContain('承認されました');
  });

  it('handles the same integration event delivered twice only once', async () => {
    const { memberId } = await h.command(
      new ApplyForMembershipCommand(applicationOf('twice@example.jp', { familyName: '二度', givenName: '届', familyNameKana: 'ニド', givenNameKana: 'トドク' }), 'en'),
    );
    await h.command(new DecideApplicationCommand(operator.viewer, memberId, 'decline', 'duplicate test'));
    const row = await h.fresh((em) => em.findOneOrFail(OutboxMessage, { name: 'membership.application-decided' }));
    const event = row.payload as unknown as IntegrationEvent;
    expect(events.handlersFor(event.type)).toHaveLength(1);

    await events.dispatch(event);
    await events.dispatch({ ...event });

    const mails = await h.fresh((em) => em.find(MailMessage, { template: 'notifications/application-declined' }));
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: 'twice@example.jp', locale: 'en' });
    expect(mails[0].text).toContain('duplicate test');
    const processed = await h.fresh((em) => em.find(ProcessedJob, { key: { $like: `%:${event.eventId}` } }));
    expect(processed.map((p) => p.key)).toEqual([`SendDecisionMailOnApplicationDecidedHandler:${event.eventId}`]);
    const sends = await h.fresh((em) => em.find(OutboxMessage, { queue: MAIL_QUEUE, payload: { messageId: mails[0].id } }));
    expect(sends).toHaveLength(1);
  });

  it('sends a message once when MailProcessor.deliver runs twice, one after the other or at the same time', async () => {
    const send = jest.spyOn(transport, 'send');
    await h.command(new ApplyForMembershipCommand(applicationOf('one@example.jp', { familyName: '一', givenName: '通', familyNameKana: 'イチ', givenNameKana: 'ツウ' }), 'ja'));
    await h.command(new ApplyForMembershipCommand(applicationOf('two@example.jp', { familyName: '二', givenName: '通', familyNameKana: 'ニ', givenNameKana: 'ツウ' }), 'ja'));
    const one = await h.fresh((em) => em.findOneOrFail(MailMessage, { to: 'one@example.jp' }));
    const two = await h.fresh((em) => em.findOneOrFail(MailMessage, { to: 'two@example.jp' }));

    expect(await mailer.deliver(one.id)).toBe('sent');
    expect(await mailer.deliver(one.id)).toBe('skipped');
    expect(send).toHaveBeenCalledTimes(1);
    const sentOne = await h.fresh((em) => em.findOneOrFail(MailMessage, { id: one.id }));
    expect(sentOne).toMatchObject({ attempts: 1, transport: 'local' });
    expect(sentOne.sentAt).toBeInstanceOf(Date);

    const results = await Promise.all([mailer.deliver(two.id), mailer.deliver(two.id)]);
    expect(results.sort()).toEqual(['sent', 'skipped']);
    expect(send).toHaveBeenCalledTimes(2);
    expect(await h.fresh((em) => em.findOneOrFail(MailMessage, { id: two.id }))).toMatchObject({ attempts: 1 });

    expect(await mailer.deliver('00000000-0000-4000-8000-000000000000')).toBe('skipped');
  });

  it('does not add a second job nor send a second mail when the same outbox rows are relayed again', async () => {
    await h.command(new ApplyForMembershipCommand(applicationOf('again@example.jp', { familyName: '再', givenName: '送', familyNameKana: 'サイ', givenNameKana: 'ソウ' }), 'ja'));
    const mail = await sentMail('membership/verify-email', 'again@example.jp');
    const rows = await h.fresh((em) => em.find(OutboxMessage, {}));
    expect(rows).toHaveLength(2);
    const before = new Map<string, Awaited<ReturnType<typeof jobState>>>();
    for (const row of rows) {
      before.set(row.jobId, await waitFor(`job ${row.jobId} to complete`, async () => {
        const state = await jobState(queueOf(row), row.jobId);
        return state?.state === 'completed' ? state : null;
      }));
    }
    const countsBefore = { mail: await mailQueue.getJobCounts(), events: await eventQueue.getJobCounts() };

    await h.fresh((em) => em.execute('update platform.outbox set relayed_at = null'));
    expect(await relay.drain()).toBe(2);

    for (const row of rows) expect(await jobState(queueOf(row), row.jobId)).toEqual(before.get(row.jobId));
    expect({ mail: await mailQueue.getJobCounts(), events: await eventQueue.getJobCounts() }).toEqual(countsBefore);
    const mails = await h.fresh((em) => em.find(MailMessage, {}));
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ id: mail.id, attempts: 1 });
    expect(mails[0].sentAt?.getTime()).toBe(mail.sentAt?.getTime());
  });
});
