import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { EmptyToUndefined, OptionalText, PageNumber } from '@libs/web/form-transforms';
import { OPERATOR_EVENT_TABS, type OperatorEventTab } from '../contracts/admin';

/** A generous bound against oversized posts; the event's own rules name the real limits field by field. */
const Field = (max = 2000) => [IsOptional(), IsString(), MaxLength(max)];
const apply = (decorators: PropertyDecorator[]): PropertyDecorator => (target, key) => decorators.forEach((d) => d(target, key));

/**
 * The event form. Every field arrives as typed (dates as local date-times, numbers as text) and is checked by the
 * command's rules (domain/event-schedule), which name every problem at its field at once.
 */
export class EventFormRequest {
  @apply(Field(500)) title?: string;
  @apply(Field(50)) category?: string;
  @apply(Field(50)) format?: string;
  @apply(Field(50)) visibility?: string;
  @apply(Field(64)) timeZone?: string;
  @apply(Field(40)) startsAt?: string;
  @apply(Field(40)) endsAt?: string;
  @apply(Field(40)) deadlineAt?: string;
  @apply(Field(1000)) place?: string;
  @apply(Field(2000)) onlineUrl?: string;
  @apply(Field(40)) feeYen?: string;
  @apply(Field(1000)) paymentNote?: string;
  @apply(Field(40)) capacity?: string;
  @apply(Field(40)) maxCompanions?: string;
  @apply(Field(40_000)) description?: string;
  @apply(Field(5000)) notes?: string;
  @apply(Field(500)) organiserName?: string;
}

export class CancelEventRequest {
  @apply(Field(5000)) reason?: string;
}

export class EventListQuery {
  @EmptyToUndefined()
  @IsOptional()
  @IsIn(OPERATOR_EVENT_TABS)
  state?: OperatorEventTab;

  @PageNumber(10000)
  page?: number;
}

export class CheckInQuery {
  @OptionalText(100)
  q?: string;
}

/** The check-in buttons send the search the page was showing, to come back to it. */
export class CheckInRequest {
  @OptionalText(100)
  q?: string;
}
