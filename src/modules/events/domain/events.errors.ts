import { DomainError } from '@libs/ddd';

/** The event does not exist or the viewer may not see it (both answer the same, so nothing leaks). */
export class EventNotFoundError extends DomainError {
  constructor() {
    super('events.errors.notFound', { status: 404 });
  }
}

/** A draft or a cancelled event takes no registrations. */
export class EventNotOpenError extends DomainError {
  constructor(reason: 'cancelled' | 'draft') {
    super(reason === 'cancelled' ? 'events.errors.cancelled' : 'events.errors.notOpen', { status: 409 });
  }
}

export class RegistrationClosedError extends DomainError {
  constructor() {
    super('events.errors.closed', { status: 409 });
  }
}

export class AlreadyRegisteredError extends DomainError {
  constructor(state: 'confirmed' | 'waitlisted') {
    super(state === 'confirmed' ? 'events.errors.alreadyConfirmed' : 'events.errors.alreadyWaitlisted', { status: 409 });
  }
}

export class TooManyCompanionsError extends DomainError {
  constructor(max: number) {
    super(max === 0 ? 'events.errors.noCompanions' : 'events.errors.tooManyCompanions', { field: 'companions', params: { max } });
  }
}

/** The party is larger than the whole event: it could never get a seat. */
export class PartyTooLargeError extends DomainError {
  constructor(capacity: number) {
    super('events.errors.partyTooLarge', { field: 'companions', params: { capacity } });
  }
}

export class NotRegisteredError extends DomainError {
  constructor() {
    super('events.errors.notRegistered', { status: 409 });
  }
}

/** Cancelling online ends when the event starts. */
export class CancellationClosedError extends DomainError {
  constructor() {
    super('events.errors.cancellationClosed', { status: 409 });
  }
}

export class CalendarFeedNotFoundError extends DomainError {
  constructor() {
    super('events.errors.feedNotFound', { status: 404 });
  }
}
