import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { CommandBus } from '@nestjs/cqrs';
import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import { isUuid } from '@libs/ddd/ids';
import { CONTENT_QUEUES, PublishScheduledContentCommand } from '../contracts';
import { DueScheduledContent } from '../application/scheduled';
import { FlushContentViewsCommand } from '../application/views.handlers';
import {
  FLUSH_VIEWS_EVERY_MS,
  FLUSH_VIEWS_JOB,
  PUBLISH_SCHEDULED_JOB,
  publishJobId,
  SWEEP_SCHEDULED_EVERY_MS,
  SWEEP_SCHEDULED_JOB,
  type PublishScheduledPayload,
} from './content-jobs';

export const FLUSH_VIEWS_SCHEDULER = 'content-flush-views';
export const SWEEP_SCHEDULED_SCHEDULER = 'content-schedule-sweep';

/**
 * Content's queue: `publish-scheduled` publishes one scheduled item when its time comes (delayed until then);
 * `sweep-scheduled` (every 5 minutes, and once when the worker starts) adds again the jobs of items due within 10
 * minutes or overdue, in case Redis lost them; `flush-views` (every 30 s) counts the recorded page views. Adding a job
 * whose id exists is a no-op, and a publication whose time has moved does nothing.
 */
@Processor(CONTENT_QUEUES.content)
export class ContentProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(ContentProcessor.name);

  constructor(
    private readonly commands: CommandBus,
    private readonly due: DueScheduledContent,
    @InjectQueue(CONTENT_QUEUES.content) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    if (process.env.KIZUNA_CONTENT_SCHEDULERS === 'off') return;
    try {
      await this.queue.upsertJobScheduler(FLUSH_VIEWS_SCHEDULER, { every: FLUSH_VIEWS_EVERY_MS }, { name: FLUSH_VIEWS_JOB, data: {} });
      await this.queue.upsertJobScheduler(SWEEP_SCHEDULED_SCHEDULER, { every: SWEEP_SCHEDULED_EVERY_MS }, { name: SWEEP_SCHEDULED_JOB, data: {} });
    } catch (e) {
      this.logger.warn(`could not register content's repeatable jobs: ${(e as Error).message}`);
    }
    void this.sweep().catch((e: unknown) => this.logger.warn(`scheduled-content sweep at start-up failed: ${(e as Error).message}`));
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      case PUBLISH_SCHEDULED_JOB: {
        const { contentId, at } = job.data as PublishScheduledPayload;
        const when = new Date(at);
        if (!isUuid(contentId) || Number.isNaN(when.getTime())) throw new UnrecoverableError('bad publication payload');
        const result = await this.commands.execute(new PublishScheduledContentCommand(contentId, when));
        this.logger.debug(`scheduled publication ${job.id}: ${result.outcome}`);
        return result;
      }
      case SWEEP_SCHEDULED_JOB:
        return { enqueued: await this.sweep() };
      case FLUSH_VIEWS_JOB:
        return this.commands.execute(new FlushContentViewsCommand());
      default:
        throw new UnrecoverableError(`unknown job ${job.name}`);
    }
  }

  /** Adds the publication jobs of items due within 10 minutes or overdue; answers how many it found. */
  async sweep(now = new Date()): Promise<number> {
    const due = await this.due.find(now);
    for (const d of due) {
      const payload: PublishScheduledPayload = { contentId: d.contentId, at: d.at.toISOString() };
      await this.queue.add(PUBLISH_SCHEDULED_JOB, payload, { jobId: publishJobId(d.contentId, d.at), delay: Math.max(0, d.at.getTime() - now.getTime()) });
    }
    return due.length;
  }
}
