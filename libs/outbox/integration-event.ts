import { randomUUID } from 'node:crypto';

/** What modules tell each other through the outbox. Carries ids and facts, never personal data. */
export interface IntegrationEvent {
  /** The integration event's own id: the outbox's BullMQ job id and the handlers' processed-job key. */
  readonly eventId: string;
  readonly type: string;
  readonly occurredAt: string;
}

/** The data of an integration event may not redefine its envelope (a subject named `eventId` would replace its id). */
type EventData<D> = D & { eventId?: never; type?: never; occurredAt?: never };

export function integrationEvent<T extends string, D extends object>(type: T, data: EventData<D>): IntegrationEvent & { type: T } & D {
  if ('eventId' in data || 'type' in data || 'occurredAt' in data) throw new Error(`Integration event ${type}: its data may not carry eventId, type or occurredAt`);
  return { eventId: randomUUID(), type, occurredAt: new Date().toISOString(), ...data };
}

/** An integration event with a given id, for facts that must be published once however often they are found again. */
export function integrationEventWithId<T extends string, D extends object>(eventId: string, type: T, data: EventData<D>): IntegrationEvent & { type: T } & D {
  return { ...integrationEvent(type, data), eventId };
}
