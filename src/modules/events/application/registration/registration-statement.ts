import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { integrationEvent, Outbox } from '@libs/outbox';
import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import { EventsEvents } from '../../contracts/integration-events';
import { visibleEventLevels } from '../../domain/event-visibility';
import type { RegistrationOutcome } from '../../domain/registration-rules';

/**
 * Registers in ONE statement, `events.register_for_event` (see its migration), run outside any explicit transaction:
 * PostgreSQL locks the event row, applies the registration rules, takes the order of arrival, writes the registration,
 * the counters and the outbox row, and commits — the lock is never held across a round trip to this process.
 * Everything else (the session, the viewer, the answer) happens outside that critical section.
 */
export async function registerInOneStatement(em: EntityManager, viewer: Viewer, eventId: string, companions: number): Promise<RegistrationOutcome> {
  const registrationId = randomUUID();
  // The integration event as Outbox.publish would write it; the statement sets its type (confirmed or waitlisted) and
  // the registration id (the member's earlier, cancelled registration is reused).
  const message = Outbox.message(integrationEvent(EventsEvents.registrationConfirmed, { communityEventId: eventId, registrationId, memberId: viewer.memberId }));
  const rows = await em.getConnection().execute<{ answer: RegistrationOutcome }[]>(
    'select events.register_for_event(?, ?, ?, ?, ?::text[], ?, ?, ?, ?, ?::jsonb, ?, ?) as answer',
    [
      eventId,
      viewer.memberId,
      Number.isSafeInteger(companions) && companions >= 0 ? companions : null,
      AccessPolicy.isOperator(viewer),
      `{${visibleEventLevels(viewer).join(',')}}`,
      registrationId,
      message.id,
      message.queue,
      message.jobId,
      JSON.stringify(message.payload),
      EventsEvents.registrationConfirmed,
      EventsEvents.registrationWaitlisted,
    ],
  );
  return rows[0].answer;
}
