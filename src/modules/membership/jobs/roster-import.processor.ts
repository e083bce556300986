import { Logger } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { CommandBus } from '@nestjs/cqrs';
import { UnrecoverableError, type Job } from 'bullmq';
import { ApplyRosterImportCommand } from '../application/roster-import';
import { ROSTER_IMPORT_QUEUE, type ApplyRosterImportPayload } from './roster-import.queue';

/**
 * Applies a confirmed roster import. The import's state and the `roster-import:<id>` processed-job key make a
 * repeated job a no-op. A failure the admin must act on (problems found, permission gone) is final; an unexpected
 * error is retried by the queue, and the import waits as `queued` in between.
 */
// A large import holds its job for a while; the lock is renewed meanwhile, the duration only bounds a dead worker.
@Processor(ROSTER_IMPORT_QUEUE, { concurrency: 1, lockDuration: 60_000 })
export class RosterImportProcessor extends WorkerHost {
  private readonly logger = new Logger(RosterImportProcessor.name);

  constructor(private readonly commands: CommandBus) {
    super();
  }

  async process(job: Job<ApplyRosterImportPayload>): Promise<void> {
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const result = await this.commands.execute(new ApplyRosterImportCommand(job.data.importId, { finalAttempt }));
    if (result.outcome === 'failed') {
      this.logger.warn(`roster import ${job.data.importId} failed: ${result.failureKey}`);
      throw new UnrecoverableError(result.failureKey ?? 'failed');
    }
  }
}
