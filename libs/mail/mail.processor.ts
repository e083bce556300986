import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import type { Job } from 'bullmq';
import { AppConfig } from '@libs/config';
import { MAIL_QUEUE } from '@libs/queue/queue-names';
import { MailMessage } from './mail-message.entity';
import { MailTransport } from './mail-transport';

/** Sends one queued e-mail. A message already marked sent is skipped, so retries never send twice. */
@Processor(MAIL_QUEUE)
export class MailProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(MailProcessor.name);

  constructor(
    private readonly em: EntityManager,
    private readonly transport: MailTransport,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.workerConcurrency;
  }

  async process(job: Job<{ messageId: string }>): Promise<void> {
    await this.deliver(job.data.messageId);
  }

  async deliver(messageId: string): Promise<'sent' | 'skipped'> {
    const em = this.em.fork();
    return em.transactional(async (tx) => {
      const message = await tx.findOne(MailMessage, { id: messageId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!message || message.sentAt) return 'skipped';
      message.attempts += 1;
      try {
        await this.transport.send(message);
      } catch (e) {
        message.lastError = (e as Error).message.slice(0, 500);
        await tx.flush();
        this.logger.warn(`mail ${message.id} failed: ${message.lastError}`);
        throw e;
      }
      message.sentAt = new Date();
      message.transport = this.transport.kind;
      if (message.transport === 'smtp') {
        // Links in a sent mail (reset, verification) are secrets: the copy kept here keeps no body.
        message.text = '';
        message.html = '';
      }
      return 'sent';
    });
  }
}
