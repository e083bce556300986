/** Purposes a member can consent to, each separately (APPI / GDPR). */
export const CONSENT_PURPOSES = ['community', 'talent_pool', 'business_matching'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** What the audit log records. */
export const AUDIT_ACTIONS = [
  'profile.restricted-viewed',
  'directory.exported',
  'personal-data.exported',
  'account.deleted',
  'event.attendees-exported',
  /** An operator pinned, locked, moved or hid a forum thread or post. */
  'forum.moderated',
  /** An operator decided on reported content (hide, keep, dismiss). */
  'moderation.decided',
  /** An operator published, scheduled, returned, declined, unpublished, deleted, edited or featured an article. */
  'content.moderated',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
