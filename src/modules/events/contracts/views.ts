/** Event categories (the source's list), stored as keys; labels are in i18n `events.category.<key>`. */
export const EVENT_CATEGORIES = ['online-meetup', 'seminar', 'party', 'volunteer', 'office-tour', 'family-day', 'other'] as const;
export type EventCategory = (typeof EVENT_CATEGORIES)[number];

export const EVENT_FORMATS = ['online', 'onsite', 'hybrid'] as const;
export type EventFormat = (typeof EVENT_FORMATS)[number];

/** Who may see an event, by member status (operators and admins see every event). */
export const EVENT_VISIBILITIES = ['public', 'members', 'alumni', 'employees'] as const;
export type EventVisibility = (typeof EVENT_VISIBILITIES)[number];

export type EventState = 'draft' | 'published' | 'cancelled';
export type RegistrationState = 'confirmed' | 'waitlisted' | 'cancelled';

/** Reminders before the start, as offsets in minutes. */
export const REMINDER_OFFSETS = { '24h': 24 * 60, '1h': 60 } as const;
export type ReminderKind = keyof typeof REMINDER_OFFSETS;
