import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { CommandBus } from '@nestjs/cqrs';
import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import { EVENTS_QUEUES } from '../contracts/reminders';
import { DueReminders, SendEventRemindersCommand } from '../application/reminders';
import { isReminderKind, reminderJobId, SWEEP_EVERY_MS, type EventReminderPayload } from '../application/reminders/reminder-schedule';
import { SEND_REMINDERS_JOB, SWEEP_REMINDERS_JOB } from '../application/reminders/schedule-reminders';

export const REMINDER_SWEEP_SCHEDULER = 'event-reminder-sweep';

/**
 * The reminders queue: `send` runs one event-level reminder (delayed until it is due); `sweep` (every 5 minutes, and
 * once when the worker starts) adds again the jobs of reminders due soon or overdue by less than an hour, in case
 * Redis lost them. Adding a job whose id exists is a no-op, and a reminder already done is skipped by its key.
 */
@Processor(EVENTS_QUEUES.reminders)
export class EventRemindersProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(EventRemindersProcessor.name);

  constructor(
    private readonly commands: CommandBus,
    private readonly due: DueReminders,
    @InjectQueue(EVENTS_QUEUES.reminders) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    if (process.env.KIZUNA_REMINDER_SWEEPER === 'off') return;
    try {
      await this.queue.upsertJobScheduler(REMINDER_SWEEP_SCHEDULER, { every: SWEEP_EVERY_MS }, { name: SWEEP_REMINDERS_JOB, data: {} });
    } catch (e) {
      this.logger.warn(`could not register the reminder sweeper: ${(e as Error).message}`);
    }
    void this.sweep().catch((e: unknown) => this.logger.warn(`reminder sweep at start-up failed: ${(e as Error).message}`));
  }

  async process(job: Job): Promise<unknown> {
    if (job.name === SWEEP_REMINDERS_JOB) return { enqueued: await this.sweep() };
    if (job.name !== SEND_REMINDERS_JOB) throw new UnrecoverableError(`unknown job ${job.name}`);
    const { eventId, kind, startsAt } = job.data as EventReminderPayload;
    const start = new Date(startsAt);
    if (!isReminderKind(kind) || Number.isNaN(start.getTime())) throw new UnrecoverableError('bad reminder payload');
    const result = await this.commands.execute(new SendEventRemindersCommand(eventId, kind, start));
    this.logger.debug(`reminder ${job.id}: ${result.outcome} (${result.members} members)`);
    return result;
  }

  /** Adds the jobs of reminders due within 10 minutes or overdue by less than an hour; returns how many it found. */
  async sweep(now = new Date()): Promise<number> {
    const due = await this.due.find(now);
    for (const r of due) {
      const payload: EventReminderPayload = { eventId: r.eventId, kind: r.kind, startsAt: r.startsAt.toISOString() };
      await this.queue.add(SEND_REMINDERS_JOB, payload, {
        jobId: reminderJobId(r.eventId, r.kind, r.startsAt),
        delay: Math.max(0, r.dueAt.getTime() - now.getTime()),
      });
    }
    return due.length;
  }
}
