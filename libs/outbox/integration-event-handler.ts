import { SetMetadata } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { IntegrationEvent } from './integration-event';

export const INTEGRATION_EVENT_HANDLER = 'kizuna:integration-event-handler';

/** Marks a provider as a reaction to an integration event type (runs in the worker, once per event). */
export const OnIntegrationEvent = (type: string) => SetMetadata(INTEGRATION_EVENT_HANDLER, type);

export interface IntegrationEventHandler<E extends IntegrationEvent = IntegrationEvent> {
  /** Runs inside the transaction that records the event as processed for this handler. */
  handle(event: E, tx: EntityManager): Promise<void>;
  /**
   * Runs once `handle` has committed (not when this handler had already processed the event): for what must not be
   * seen before the change is visible, such as telling connected browsers. Best effort — a failure is logged, the
   * event is not retried for it.
   */
  afterCommit?(event: E): Promise<void>;
}
