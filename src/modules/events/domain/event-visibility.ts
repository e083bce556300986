import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import type { EventState, EventVisibility } from '../contracts/views';

/**
 * Whether the viewer may see an event at all. Operators (and admins) see every event, drafts included; everyone
 * else sees published and cancelled events whose visibility allows their status: `public` for anyone, `members` for
 * approved members, `alumni` and `employees` for those members only.
 */
export function canSeeEvent(viewer: Viewer | null | undefined, event: { visibility: EventVisibility; state: EventState }): boolean {
  if (AccessPolicy.isOperator(viewer)) return true;
  if (event.state === 'draft') return false;
  return AccessPolicy.canSee(viewer, event.visibility);
}

/** The visibilities a viewer sees, for `visibility in (…)` in SQL. */
export function visibleEventLevels(viewer: Viewer | null | undefined): EventVisibility[] {
  return (['public', 'members', 'alumni', 'employees'] as const).filter((visibility) => canSeeEvent(viewer, { visibility, state: 'published' }));
}
