import type { MemberRole, MemberStatus, Viewer } from '@libs/security/access-policy';
import { type BoardAccess, canDeletePost, canEditPost, canReadBoard, canReply, canStartThread, pageOfNumber, readableBoardLevels } from './forum-rules';

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

describe('boards readable by visitors', () => {
  it('let visitors and pending members read, never write', () => {
    const open = board({ publicReadable: true });
    expect(canReadBoard(null, open)).toBe(true);
    expect(canReadBoard(viewer('pending'), open)).toBe(true);
    expect(canStartThread(viewer('pending'), open)).toBe(false);
    expect(canReply(null, open, { locked: false })).toBe(false);
    expect(canReply(viewer('alumni'), open, { locked: false })).toBe(true);
  });

  it('only make members boards public: an alumni board marked public stays closed to visitors', () => {
    expect(canReadBoard(null, board({ visibility: 'alumni', publicReadable: true }))).toBe(false);
  });
});

describe('editing and deleting posts', () => {
  const mine = { authorId: 'm', deleted: false, hidden: false };
  it('lets the author edit and delete, operators delete, others neither', () => {
    expect(canEditPost(viewer('alumni'), board(), { locked: false }, mine)).toBe(true);
    expect(canEditPost(viewer('alumni'), board(), { locked: true }, mine)).toBe(false);
    expect(canEditPost(viewer('alumni'), board(), { locked: false }, { ...mine, hidden: true })).toBe(false);
    expect(canEditPost({ ...viewer('alumni'), memberId: 'other' }, board(), { locked: false }, mine)).toBe(false);
    expect(canDeletePost(viewer('alumni'), board(), mine)).toBe(true);
    expect(canDeletePost({ ...viewer('alumni', 'operator'), memberId: 'op' }, board(), mine)).toBe(true);
    expect(canDeletePost({ ...viewer('alumni'), memberId: 'other' }, board(), mine)).toBe(false);
    expect(canDeletePost(viewer('alumni'), board(), { ...mine, deleted: true })).toBe(false);
  });

  it('puts post 20 on page 1 and post 21 on page 2', () => {
    expect(pageOfNumber(1, 20)).toBe(1);
    expect(pageOfNumber(20, 20)).toBe(1);
    expect(pageOfNumber(21, 20)).toBe(2);
  });
});
