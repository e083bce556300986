import type { MemberRole, MemberStatus, Viewer } from '@libs/security/access-policy';
import { canSeeEvent, visibleEventLevels } from './event-visibility';

const viewer = (status: MemberStatus, role: MemberRole = 'member'): Viewer => ({ memberId: 'm', status, role, displayName: 'x', locale: null, sessionVersion: 1 });

describe('who sees an event', () => {
  const published = (visibility: 'public' | 'members' | 'alumni' | 'employees') => ({ visibility, state: 'published' as const });

  it('shows alumni-only events to alumni and operators, not to employees', () => {
    expect(canSeeEvent(viewer('alumni'), published('alumni'))).toBe(true);
    expect(canSeeEvent(viewer('employee'), published('alumni'))).toBe(false);
    expect(canSeeEvent(viewer('employee', 'operator'), published('alumni'))).toBe(true);
  });

  it('shows employee-only events to employees, not to alumni', () => {
    expect(canSeeEvent(viewer('employee'), published('employees'))).toBe(true);
    expect(canSeeEvent(viewer('alumni'), published('employees'))).toBe(false);
  });

  it('shows members-only events to approved members only, public ones to anyone', () => {
    expect(canSeeEvent(viewer('alumni'), published('members'))).toBe(true);
    expect(canSeeEvent(viewer('pending'), published('members'))).toBe(false);
    expect(canSeeEvent(null, published('members'))).toBe(false);
    expect(canSeeEvent(null, published('public'))).toBe(true);
    expect(canSeeEvent(viewer('suspended'), published('members'))).toBe(false);
  });

  it('shows drafts to operators only, cancelled events like published ones', () => {
    expect(canSeeEvent(viewer('alumni'), { visibility: 'public', state: 'draft' })).toBe(false);
    expect(canSeeEvent(viewer('alumni', 'admin'), { visibility: 'members', state: 'draft' })).toBe(true);
    expect(canSeeEvent(viewer('alumni'), { visibility: 'members', state: 'cancelled' })).toBe(true);
  });

  it('lists the visibilities for SQL', () => {
    expect(visibleEventLevels(null)).toEqual(['public']);
    expect(visibleEventLevels(viewer('alumni'))).toEqual(['public', 'members', 'alumni']);
    expect(visibleEventLevels(viewer('employee'))).toEqual(['public', 'members', 'employees']);
    expect(visibleEventLevels(viewer('alumni', 'operator'))).toEqual(['public', 'members', 'alumni', 'employees']);
  });
});
