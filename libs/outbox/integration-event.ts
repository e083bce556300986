import { randomUUID } from 'node:crypto';

/** What modules tell each other through the outbox. Carries ids and facts, never personal data. */
export interface IntegrationEvent {
  readonly eventId: string;
  readonly type: string;
  readonly occurredAt: string;
}

export function integrationEvent<T extends string, D extends object>(type: T, data: D): IntegrationEvent & { type: T } & D {
  return { eventId: randomUUID(), type, occurredAt: new Date().toISOString(), ...data };
}
