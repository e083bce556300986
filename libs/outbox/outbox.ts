import type { EntityManager } from '@mikro-orm/postgresql';
import { INTEGRATION_EVENTS_QUEUE } from '@libs/queue/queue-names';
import type { IntegrationEvent } from './integration-event';
import { OutboxMessage } from './outbox-message.entity';

/**
 * Writes to the outbox in the caller's unit of work: the job exists if and only if the change commits.
 * The worker's relay moves it to BullMQ afterwards.
 */
export const Outbox = {
  enqueue(
    em: EntityManager,
    job: { queue: string; name: string; payload: Record<string, unknown>; jobId?: string; runAt?: Date },
  ): OutboxMessage {
    const message = new OutboxMessage(job);
    em.persist(message);
    return message;
  },

  publish(em: EntityManager, event: IntegrationEvent): OutboxMessage {
    const message = Outbox.message(event);
    em.persist(message);
    return message;
  },

  /**
   * The outbox row that publishes `event`, not yet written: for a writer that inserts it itself in the same
   * transaction as its change (a database function that decides and writes in one statement).
   */
  message(event: IntegrationEvent): OutboxMessage {
    return new OutboxMessage({ queue: INTEGRATION_EVENTS_QUEUE, name: event.type, payload: { ...event }, jobId: `evt-${event.eventId}` });
  },
};
