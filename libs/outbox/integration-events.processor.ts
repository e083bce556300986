import { Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { EntityManager } from '@mikro-orm/postgresql';
import { RequestContext } from '@mikro-orm/core';
import type { Job } from 'bullmq';
import { AppConfig } from '@libs/config';
import { INTEGRATION_EVENTS_QUEUE } from '@libs/queue/queue-names';
import type { IntegrationEvent } from './integration-event';
import { INTEGRATION_EVENT_HANDLER, type IntegrationEventHandler } from './integration-event-handler';
import { runOnce } from './run-once';

/** Delivers each integration event to every handler registered for its type, once per handler. */
@Processor(INTEGRATION_EVENTS_QUEUE)
export class IntegrationEventsProcessor extends WorkerHost implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(IntegrationEventsProcessor.name);
  private readonly handlers = new Map<string, IntegrationEventHandler[]>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly em: EntityManager,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.workerConcurrency;
  }

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const { instance, metatype } = wrapper;
      if (!instance || !metatype) continue;
      const type = this.reflector.get<string | undefined>(INTEGRATION_EVENT_HANDLER, metatype);
      if (!type) continue;
      const list = this.handlers.get(type) ?? [];
      list.push(instance as IntegrationEventHandler);
      this.handlers.set(type, list);
    }
  }

  handlersFor(type: string): IntegrationEventHandler[] {
    return this.handlers.get(type) ?? [];
  }

  async process(job: Job<IntegrationEvent>): Promise<void> {
    await this.dispatch(job.data);
  }

  async dispatch(event: IntegrationEvent): Promise<void> {
    for (const handler of this.handlersFor(event.type)) {
      const key = `${handler.constructor.name}:${event.eventId}`;
      await RequestContext.create(this.em.fork(), async () => {
        const ran = await runOnce(this.em, key, (tx) => handler.handle(event, tx));
        if (!ran) this.logger.debug(`skipped ${key}: already processed`);
        else if (handler.afterCommit) {
          await handler.afterCommit(event).catch((e: unknown) => this.logger.warn(`${key} after commit: ${e instanceof Error ? e.message : String(e)}`));
        }
      });
    }
  }
}
