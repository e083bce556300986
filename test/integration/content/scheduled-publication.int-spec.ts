import { Queue } from 'bullmq';
import { AppConfig } from '@libs/config';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { OutboxRelay } from '@libs/outbox/outbox-relay.service';
import { OutboxWorkerModule } from '@libs/outbox/outbox.module';
import { QueueModule } from '@libs/queue/queue.module';
import { ContentModule } from '@modules/content/content.module';
import { CONTENT_QUEUES, ContentEvents, GetContentQuery, ListContentQuery, PublishContentCommand, PublishScheduledContentCommand, ReturnContentCommand, SubmitContentCommand } from '@modules/content/contracts';
import { ContentProcessor, FLUSH_VIEWS_SCHEDULER, SWEEP_SCHEDULED_SCHEDULER } from '@modules/content/jobs/content.processor';
import { ContentWorkerModule } from '@modules/content/jobs/content-worker.module';
import { publishJobId } from '@modules/content/jobs/content-jobs';
import { EventsModule } from '@modules/events/events.module';
import { MembershipModule } from '@modules/membership/membership.module';
import { PrivacyModule } from '@modules/privacy/privacy.module';
import { buildDraft } from '../../factories/content.factory';
import { buildMember, type BuiltMember } from '../../factories/member.factory';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';

// The repeatable jobs and the start-up sweep are driven by hand here (one test registers them).
process.env.KIZUNA_CONTENT_SCHEDULERS = 'off';

const MODULES = [ContentModule, MembershipModule, EventsModule, PrivacyModule, QueueModule];

describe('scheduled publication: a delayed job through the outbox that survives a worker restart and follows a moved time', () => {
  /** The web side: commands and the outbox relay, no content worker. */
  let web: ModuleHarness;
  let relay: OutboxRelay;
  let queue: Queue;
  let operator: BuiltMember;
  let alice: BuiltMember;
  let live: ModuleHarness[] = [];

  const startWorker = async () => {
    const worker = await bootModules([...MODULES, ContentWorkerModule]);
    live.push(worker);
    return worker;
  };
  const stopWorkers = async () => {
    for (const w of live) await w.close();
    live = [];
  };
  /** A running worker (started when none runs). */
  const worker = async () => live.at(-1) ?? (await startWorker());

  beforeAll(async () => {
    web = await bootModules([...MODULES, OutboxWorkerModule]);
    relay = web.app.get(OutboxRelay);
    // The queue as the relay and the dashboard see it, to look at its jobs.
    const config = web.app.get(AppConfig);
    queue = new Queue(CONTENT_QUEUES.content, { connection: { url: config.redisUrl, maxRetriesPerRequest: null }, prefix: `${config.redisPrefix}:bull` });
  });
  beforeEach(async () => {
    await queue.obliterate({ force: true });
    await resetDatabase(web.em);
    operator = await buildMember(web.em.fork(), { status: 'employee', role: 'operator', familyName: '運営', givenName: '花子' });
    alice = await buildMember(web.em.fork(), { status: 'alumni', familyName: '山田', givenName: '太郎' });
  });
  afterAll(async () => {
    await stopWorkers();
    await queue.close();
    await web.close();
  });

  const statusOf = async (id: string) => {
    const [row] = await web.fresh((em) => em.execute<{ status: string; scheduled_at: string | null }[]>('select status, scheduled_at from content.item where id = ?', [id]));
    return { status: row.status, scheduled_at: row.scheduled_at === null ? null : new Date(row.scheduled_at) };
  };

  /** Polls the database until `probe` holds (or fails after `ms`). Waiting, not asserting on time. */
  async function waitUntil(what: string, probe: () => Promise<boolean>, ms = 20_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await probe())) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function submitted(title: string): Promise<string> {
    const id = await buildDraft(web.command, alice.viewer, { title, visibility: 'public' });
    await web.command(new SubmitContentCommand(alice.viewer, id));
    return id;
  }

  it('writes the delayed job to the outbox with the item, under an id that names the time', async () => {
    const id = await submitted('年末年始の休業のお知らせ');
    const at = new Date(Date.now() + 3 * 24 * 3600_000);
    expect(await web.command(new PublishContentCommand(operator.viewer, id, at))).toEqual({ status: 'scheduled', publishedAt: null, scheduledAt: at });
    const [row] = await web.fresh((em) => em.find(OutboxMessage, { queue: CONTENT_QUEUES.content }));
    expect(row).toMatchObject({ name: 'publish-scheduled', jobId: `content-publish-${id}-${at.getTime()}`, payload: { contentId: id, at: at.toISOString() } });
    expect(row.runAt?.toISOString()).toBe(at.toISOString());
    // Not online, nor in lists, until then; the author was told it is scheduled.
    await expect(web.query(new GetContentQuery(null, id, 'ja'))).rejects.toMatchObject({ status: 404 });
    expect((await web.query(new ListContentQuery(null, {}, 1, 'ja'))).items).toEqual([]);
    const reviewed = await web.fresh((em) => em.find(OutboxMessage, { name: ContentEvents.reviewed }));
    expect(reviewed.map((r) => r.payload.decision)).toEqual(['scheduled']);

    await web.command(new ReturnContentCommand(operator.viewer, id, '日付を確認してください'));
    expect(await statusOf(id)).toEqual({ status: 'returned', scheduled_at: null });
    // The job that comes due finds nothing to do.
    expect(await web.command(new PublishScheduledContentCommand(id, at))).toEqual({ outcome: 'skipped' });
  });

  it('publishes at its time even when the worker that held the job was stopped, through a new worker', async () => {
    await stopWorkers();
    const id = await submitted('新サービス開始のお知らせ');
    const first = await startWorker();
    const at = new Date(Date.now() + 2500);
    await web.command(new PublishContentCommand(operator.viewer, id, at));
    await relay.drain();
    const job = await queue.getJob(publishJobId(id, at));
    expect(await job?.getState()).toBe('delayed');

    await first.close();
    // Past its time with no worker running: still scheduled.
    await waitUntil('the scheduled time to pass', async () => Date.now() > at.getTime() + 500);
    expect((await statusOf(id)).status).toBe('scheduled');

    await startWorker();
    await waitUntil('the new worker to publish the item', async () => (await statusOf(id)).status === 'published');
    const view = await web.query(new GetContentQuery(null, id, 'ja'));
    expect(view.publishedAt!.getTime()).toBeGreaterThanOrEqual(at.getTime());
    expect((await web.query(new ListContentQuery(null, {}, 1, 'ja'))).items.map((c) => c.id)).toEqual([id]);
    const published = await web.fresh((em) => em.find(OutboxMessage, { name: ContentEvents.published }));
    expect(published.map((p) => p.payload.contentId)).toEqual([id]);
    // Run again (a retried job): nothing more.
    expect(await web.command(new PublishScheduledContentCommand(id, at))).toEqual({ outcome: 'skipped' });
    expect(await web.fresh((em) => em.count(OutboxMessage, { name: ContentEvents.published }))).toBe(1);
  });

  it('follows a moved time: the old job does nothing, the new one publishes', async () => {
    const id = await submitted('株主総会のお知らせ');
    const soon = new Date(Date.now() + 1500);
    const later = new Date(Date.now() + 3600_000);
    await web.command(new PublishContentCommand(operator.viewer, id, soon));
    await web.command(new PublishContentCommand(operator.viewer, id, later));
    await relay.drain();
    await worker();
    const oldJob = publishJobId(id, soon);
    await waitUntil('the old job to run', async () => (await (await queue.getJob(oldJob))?.getState()) === 'completed');
    expect((await queue.getJob(oldJob))?.returnvalue).toEqual({ outcome: 'skipped' });
    expect(await statusOf(id)).toEqual({ status: 'scheduled', scheduled_at: later });
    expect(await (await queue.getJob(publishJobId(id, later)))?.getState()).toBe('delayed');
    // The new job's time comes (run here as the worker would run it).
    expect(await web.command(new PublishScheduledContentCommand(id, later))).toEqual({ outcome: 'published' });
    expect((await statusOf(id)).status).toBe('published');
  });

  it('the sweeper adds again the jobs Redis lost: due within 10 minutes or overdue, not later ones', async () => {
    const overdue = await submitted('期限を過ぎた予約');
    const soon = await submitted('まもなく公開');
    const far = await submitted('来月公開');
    const now = new Date();
    for (const [id, at] of [[overdue, new Date(now.getTime() + 60_000)], [soon, new Date(now.getTime() + 5 * 60_000)], [far, new Date(now.getTime() + 30 * 24 * 3600_000)]] as const) {
      await web.command(new PublishContentCommand(operator.viewer, id, at));
    }
    // The overdue one's time passed while nothing ran (its row says so).
    await web.fresh((em) => em.execute(`update content.item set scheduled_at = now() - interval '3 minutes' where id = ?`, [overdue]));
    // Redis lost every job (the outbox rows were relayed long ago).
    await web.fresh((em) => em.execute('update platform.outbox set relayed_at = now()'));
    await queue.obliterate({ force: true });

    const processor = (await worker()).app.get(ContentProcessor);
    expect(await processor.sweep(now)).toBe(2);
    expect(await (await queue.getJob(publishJobId(soon, (await statusOf(soon)).scheduled_at!)))?.getState()).toBe('delayed');
    await waitUntil('the overdue item to be published', async () => (await statusOf(overdue)).status === 'published');
    expect((await statusOf(far)).status).toBe('scheduled');
    expect((await statusOf(soon)).status).toBe('scheduled');
  });

  it('registers the view flush (30 s) and the sweeper (5 min) as repeatable jobs when the worker starts', async () => {
    const processor = (await worker()).app.get(ContentProcessor);
    process.env.KIZUNA_CONTENT_SCHEDULERS = 'on';
    try {
      await processor.onApplicationBootstrap();
    } finally {
      process.env.KIZUNA_CONTENT_SCHEDULERS = 'off';
    }
    expect(await queue.getJobScheduler(FLUSH_VIEWS_SCHEDULER)).toMatchObject({ name: 'flush-views', every: 30_000 });
    expect(await queue.getJobScheduler(SWEEP_SCHEDULED_SCHEDULER)).toMatchObject({ name: 'sweep-scheduled', every: 5 * 60_000 });
    await waitUntil('the first view flush to run', async () => (await queue.getJobs(['completed'])).some((j) => j.name === 'flush-views'));
    await queue.removeJobScheduler(FLUSH_VIEWS_SCHEDULER);
    await queue.removeJobScheduler(SWEEP_SCHEDULED_SCHEDULER);
  });
});
