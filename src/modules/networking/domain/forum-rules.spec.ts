import type { MemberRole, MemberStatus, Viewer } from '@libs/security/access-policy';
import { type BoardAccess, canReadBoard, canReply, canStartThread, readableBoardLevels } from './forum-rules';

const viewer = (status: MemberStatus, role: MemberRole = 'member'): Viewer => ({ memberId: 'm', status, role, displayName: 'x', locale: null, sessionVersion: 1 });
const board = (over: Partial<BoardAccess> = {}): BoardAccess => ({ visibility: 'members', threadStarters: 'members', archived: false, ...over });

describe('who reads a board', () => {
  it('lets approved members read members boards, and nobody else who is not a member', () => {
    expect(canReadBoard(viewer('alumni'), board())).toBe(true);
    expect(canReadBoard(viewer('employee'), board())).toBe(true);
    expect(canReadBoard(viewer('pending'), board())).toBe(false);
    expect(canReadBoard(viewer('suspended'), board())).toBe(false);
    expect(canReadBoard(null, board())).toBe(false);
  });

  it('keeps alumni and employee boards to their own members, operators read all', () => {
    expect(canReadBoard(viewer('alumni'), board({ visibility: 'alumni' }))).toBe(true);
    expect(canReadBoard(viewer('employee'), board({ visibility: 'alumni' }))).toBe(false);
    expect(canReadBoard(viewer('employee'), board({ visibility: 'employees' }))).toBe(true);
    expect(canReadBoard(viewer('alumni'), board({ visibility: 'employees' }))).toBe(false);
    expect(canReadBoard(viewer('alumni'), board({ visibility: 'operators' }))).toBe(false);
    expect(canReadBoard(viewer('employee', 'operator'), board({ visibility: 'operators' }))).toBe(true);
    expect(canReadBoard(viewer('alumni', 'admin'), board({ visibility: 'employees' }))).toBe(true);
  });

  it('lists the readable levels per viewer', () => {
    expect(readableBoardLevels(viewer('alumni'))).toEqual(['members', 'alumni']);
    expect(readableBoardLevels(viewer('employee'))).toEqual(['members', 'employees']);
    expect(readableBoardLevels(viewer('alumni', 'operator'))).toEqual(['members', 'alumni', 'employees', 'operators']);
    expect(readableBoardLevels(viewer('pending'))).toEqual([]);
    expect(readableBoardLevels(null)).toEqual([]);
  });
});

describe('who starts threads and replies', () => {
  it('refuses threads from members on operators-only boards, accepts them from operators', () => {
    const notices = board({ threadStarters: 'operators' });
    expect(canStartThread(viewer('alumni'), notices)).toBe(false);
    expect(canStartThread(viewer('alumni', 'operator'), notices)).toBe(true);
    expect(canStartThread(viewer('alumni'), board())).toBe(true);
  });

  it('refuses threads and replies on boards the viewer cannot read or that are archived', () => {
    expect(canStartThread(viewer('employee'), board({ visibility: 'alumni' }))).toBe(false);
    expect(canStartThread(viewer('pending'), board())).toBe(false);
    expect(canStartThread(viewer('alumni', 'operator'), board({ archived: true }))).toBe(false);
    expect(canReply(viewer('alumni'), board({ archived: true }), { locked: false })).toBe(false);
    expect(canReply(viewer('employee'), board({ visibility: 'alumni' }), { locked: false })).toBe(false);
  });

  it('refuses replies to locked threads, for operators too', () => {
    expect(canReply(viewer('alumni'), board(), { locked: false })).toBe(true);
    expect(canReply(viewer('alumni'), board(), { locked: true })).toBe(false);
    expect(canReply(viewer('alumni', 'operator'), board(), { locked: true })).toBe(false);
  });
});
