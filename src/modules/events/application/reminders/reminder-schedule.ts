import { createHash } from 'node:crypto';
import { REMINDER_OFFSETS, type ReminderKind } from '../../contracts/views';

export const REMINDER_KINDS = Object.keys(REMINDER_OFFSETS) as ReminderKind[];

/** How long after its time a reminder the worker missed is still sent (by the sweeper); later it is dropped. */
export const REMINDER_GRACE_MS = 60 * 60 * 1000;
/** The sweeper enqueues reminders due within this window (it runs every 5 minutes). */
export const SWEEP_LOOKAHEAD_MS = 10 * 60 * 1000;
export const SWEEP_EVERY_MS = 5 * 60 * 1000;

export function isReminderKind(value: unknown): value is ReminderKind {
  return typeof value === 'string' && (REMINDER_KINDS as string[]).includes(value);
}

/** When the `kind` reminder for an event starting at `startsAt` is due. */
export function reminderDueAt(startsAt: Date, kind: ReminderKind): Date {
  return new Date(startsAt.getTime() - REMINDER_OFFSETS[kind] * 60_000);
}

/** The reminders still to schedule for an event starting at `startsAt`: those whose time has not passed. */
export function remindersToSchedule(startsAt: Date, now: Date): { kind: ReminderKind; dueAt: Date }[] {
  return REMINDER_KINDS.map((kind) => ({ kind, dueAt: reminderDueAt(startsAt, kind) })).filter((r) => r.dueAt.getTime() > now.getTime());
}

/**
 * The processed-job key of one event-level reminder: `event-reminder:<eventId>:<kind>:<startsAt epoch ms>`. A start
 * time that moves gives a new key (and job); the same reminder found again by the sweeper gives the same one.
 */
export function reminderKey(eventId: string, kind: ReminderKind, startsAt: Date): string {
  return `event-reminder:${eventId}:${kind}:${startsAt.getTime()}`;
}

/** The BullMQ job id of the same reminder (BullMQ refuses custom ids with colons): the same parts joined by `-`. */
export function reminderJobId(eventId: string, kind: ReminderKind, startsAt: Date): string {
  return reminderKey(eventId, kind, startsAt).replace(/:/g, '-');
}

/**
 * The integration event id of one member's reminder: a name-based UUID (version 5 layout, SHA-1) of registration,
 * kind and start time, so that a fan-out that runs again publishes the same event, which the outbox and handlers
 * take once.
 */
export function reminderNoticeId(registrationId: string, kind: ReminderKind, startsAt: Date): string {
  const hash = createHash('sha1').update(`kizuna:event-reminder:${registrationId}:${kind}:${startsAt.getTime()}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Ids only: the job re-reads the event. */
export interface EventReminderPayload {
  eventId: string;
  kind: ReminderKind;
  /** The start time the reminder was scheduled for (ISO). */
  startsAt: string;
}
