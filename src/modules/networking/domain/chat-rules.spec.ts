import type { Viewer } from '@libs/security/access-policy';
import { MESSAGES_PAGE_SIZE, REPLAY_MAX } from '../contracts';
import {
  canDeleteMessage,
  canEditMessage,
  canJoinConversation,
  canKnowConversation,
  canLeaveConversation,
  canManageConversation,
  canModerateConversation,
  canPostConversation,
  canReadConversation,
  canReportMessage,
  clampReadSeq,
  dmKey,
  isValidClientId,
  mayDirectMessage,
  messagePage,
  readableAudiences,
  showsMessageText,
  type ConversationFacts,
  type DirectMessageFacts,
} from './chat-rules';

const viewer = (over: Partial<Viewer> = {}): Viewer => ({ memberId: 'a0000000-0000-4000-8000-000000000001', status: 'alumni', role: 'member', displayName: 'x', locale: null, sessionVersion: 0, ...over });
const alumnus = viewer();
const employee = viewer({ status: 'employee' });
const operator = viewer({ status: 'employee', role: 'operator' });
const pending = viewer({ status: 'pending' });
const suspended = viewer({ status: 'suspended' });

const channel = (over: Partial<ConversationFacts> = {}): ConversationFacts => ({ kind: 'channel', audience: 'members', listed: false, archived: false, joined: false, role: null, pending: null, memberCount: 10, ...over });
const group = (over: Partial<ConversationFacts> = {}): ConversationFacts => ({ kind: 'group', audience: null, listed: true, archived: false, joined: false, role: null, pending: null, memberCount: 3, ...over });
const dm = (over: Partial<ConversationFacts> = {}): ConversationFacts => ({ kind: 'dm', audience: null, listed: false, archived: false, joined: true, role: 'member', pending: null, memberCount: 2, ...over });

describe('channels', () => {
  it('are read by their audience and by operators, by nobody unapproved', () => {
    expect(canReadConversation(alumnus, channel())).toBe(true);
    expect(canReadConversation(employee, channel())).toBe(true);
    expect(canReadConversation(alumnus, channel({ audience: 'alumni' }))).toBe(true);
    expect(canReadConversation(employee, channel({ audience: 'alumni' }))).toBe(false);
    expect(canReadConversation(alumnus, channel({ audience: 'employees' }))).toBe(false);
    expect(canReadConversation(operator, channel({ audience: 'alumni' }))).toBe(true);
    expect(canReadConversation(pending, channel())).toBe(false);
    expect(canReadConversation(suspended, channel({ joined: true }))).toBe(false);
    expect(canReadConversation(null, channel())).toBe(false);
    expect(readableAudiences(employee)).toEqual(['members', 'employees']);
    expect(readableAudiences(operator)).toEqual(['members', 'alumni', 'employees']);
    expect(readableAudiences(pending)).toEqual([]);
  });

  it('take messages only from joined members while not archived', () => {
    expect(canPostConversation(alumnus, channel())).toBe(false);
    expect(canPostConversation(alumnus, channel({ joined: true }))).toBe(true);
    expect(canPostConversation(alumnus, channel({ joined: true, archived: true }))).toBe(false);
    expect(canPostConversation(employee, channel({ joined: true, audience: 'alumni' }))).toBe(false);
  });

  it('are joined by readers, left by members, managed and moderated by operators', () => {
    expect(canJoinConversation(alumnus, channel())).toBe(true);
    expect(canJoinConversation(alumnus, channel({ joined: true }))).toBe(false);
    expect(canJoinConversation(alumnus, channel({ archived: true }))).toBe(false);
    expect(canJoinConversation(employee, channel({ audience: 'alumni' }))).toBe(false);
    expect(canJoinConversation(operator, channel({ audience: 'alumni' }))).toBe(true);
    expect(canLeaveConversation(alumnus, channel({ joined: true }))).toBe(true);
    expect(canLeaveConversation(alumnus, channel())).toBe(false);
    expect(canManageConversation(alumnus, channel({ joined: true }))).toBe(false);
    expect(canManageConversation(operator, channel())).toBe(true);
    expect(canModerateConversation(operator, channel())).toBe(true);
    expect(canModerateConversation(operator, group({ joined: true }))).toBe(false);
  });
});

describe('groups', () => {
  it('are read by their members only; listed ones are known to all, secret ones only to members and invitees', () => {
    expect(canReadConversation(alumnus, group())).toBe(false);
    expect(canReadConversation(operator, group())).toBe(false);
    expect(canReadConversation(alumnus, group({ joined: true }))).toBe(true);
    expect(canKnowConversation(alumnus, group())).toBe(true);
    expect(canKnowConversation(alumnus, group({ listed: false }))).toBe(false);
    expect(canKnowConversation(operator, group({ listed: false }))).toBe(false);
    expect(canKnowConversation(alumnus, group({ listed: false, pending: 'invite' }))).toBe(true);
    expect(canKnowConversation(alumnus, group({ listed: false, pending: 'join' }))).toBe(false);
    expect(canKnowConversation(pending, group())).toBe(false);
  });

  it('take join requests when listed (once), and invitees', () => {
    expect(canJoinConversation(alumnus, group())).toBe(true);
    expect(canJoinConversation(alumnus, group({ pending: 'join' }))).toBe(false);
    expect(canJoinConversation(alumnus, group({ listed: false }))).toBe(false);
    expect(canJoinConversation(alumnus, group({ listed: false, pending: 'invite' }))).toBe(true);
    expect(canJoinConversation(alumnus, group({ joined: true }))).toBe(false);
  });

  it('keep their owner until they hand over, unless the owner is the last member', () => {
    expect(canLeaveConversation(alumnus, group({ joined: true, role: 'member' }))).toBe(true);
    expect(canLeaveConversation(alumnus, group({ joined: true, role: 'owner', memberCount: 3 }))).toBe(false);
    expect(canLeaveConversation(alumnus, group({ joined: true, role: 'owner', memberCount: 1 }))).toBe(true);
    expect(canManageConversation(alumnus, group({ joined: true, role: 'owner' }))).toBe(true);
    expect(canManageConversation(alumnus, group({ joined: true, role: 'member' }))).toBe(false);
    expect(canManageConversation(operator, group())).toBe(false);
  });
});

describe('direct messages', () => {
  const facts = (over: Partial<DirectMessageFacts> = {}): DirectMessageFacts => ({
    self: false, senderStatus: 'alumni', recipientStatus: 'employee', blocked: false, senderPolicy: 'everyone', recipientPolicy: 'everyone', known: false, ...over,
  });

  it('are read by the two participants and nobody else', () => {
    expect(canReadConversation(alumnus, dm())).toBe(true);
    expect(canReadConversation(operator, dm({ joined: false, role: null }))).toBe(false);
    expect(canLeaveConversation(alumnus, dm())).toBe(false);
  });

  it('are open between approved members by default', () => {
    expect(mayDirectMessage(facts())).toBe(true);
    expect(canPostConversation(alumnus, dm(), true)).toBe(true);
    expect(canPostConversation(alumnus, dm(), false)).toBe(false);
  });

  it('are closed by a block either way, the viewer themselves, or a member who is not approved', () => {
    expect(mayDirectMessage(facts({ blocked: true }))).toBe(false);
    expect(mayDirectMessage(facts({ self: true }))).toBe(false);
    for (const status of ['pending', 'suspended', 'deleted'] as const) {
      expect(mayDirectMessage(facts({ recipientStatus: status }))).toBe(false);
      expect(mayDirectMessage(facts({ senderStatus: status }))).toBe(false);
    }
    expect(mayDirectMessage(facts({ recipientStatus: null }))).toBe(false);
  });

  it('follow the policies: nobody closes both ways, known needs a DM with a message or a shared group', () => {
    expect(mayDirectMessage(facts({ recipientPolicy: 'nobody', known: true }))).toBe(false);
    expect(mayDirectMessage(facts({ senderPolicy: 'nobody' }))).toBe(false);
    expect(mayDirectMessage(facts({ recipientPolicy: 'known' }))).toBe(false);
    expect(mayDirectMessage(facts({ recipientPolicy: 'known', known: true }))).toBe(true);
    expect(mayDirectMessage(facts({ senderPolicy: 'known' }))).toBe(true);
    expect(mayDirectMessage(facts({ recipientPolicy: 'known', known: true, blocked: true }))).toBe(false);
  });

  it('have one key for the pair, whoever opens it', () => {
    const a = 'b0000000-0000-4000-8000-000000000002';
    const b = 'A0000000-0000-4000-8000-000000000001';
    expect(dmKey(a, b)).toBe(dmKey(b, a));
    expect(dmKey(a, b)).toBe('a0000000-0000-4000-8000-000000000001:b0000000-0000-4000-8000-000000000002');
  });
});

describe('messages', () => {
  const mine = { authorId: alumnus.memberId, deleted: false, hidden: false };
  const theirs = { authorId: 'c0000000-0000-4000-8000-000000000003', deleted: false, hidden: false };

  it('are edited by their author while they may write, deleted by their author while they may read', () => {
    expect(canEditMessage(alumnus, channel({ joined: true }), mine)).toBe(true);
    expect(canEditMessage(alumnus, channel({ joined: true }), theirs)).toBe(false);
    expect(canEditMessage(operator, channel({ joined: true }), theirs)).toBe(false);
    expect(canEditMessage(alumnus, channel({ joined: true, archived: true }), mine)).toBe(false);
    expect(canEditMessage(alumnus, channel({ joined: true }), { ...mine, hidden: true })).toBe(false);
    expect(canEditMessage(alumnus, dm(), mine, false)).toBe(false);
    expect(canDeleteMessage(alumnus, channel({ joined: true, archived: true }), mine)).toBe(true);
    expect(canDeleteMessage(alumnus, channel(), { ...mine, deleted: true })).toBe(false);
    expect(canDeleteMessage(alumnus, channel(), theirs)).toBe(false);
  });

  it('show hidden text to the channel moderators only; deleted text to nobody', () => {
    expect(showsMessageText(alumnus, channel(), { ...theirs, hidden: true })).toBe(false);
    expect(showsMessageText(operator, channel(), { ...theirs, hidden: true })).toBe(true);
    expect(showsMessageText(operator, channel(), { ...theirs, deleted: true })).toBe(false);
    expect(showsMessageText(operator, group({ joined: true }), { ...theirs, hidden: true })).toBe(false);
  });

  it('are reported by readers, not by their author, not once deleted', () => {
    expect(canReportMessage(alumnus, channel(), theirs)).toBe(true);
    expect(canReportMessage(alumnus, channel(), mine)).toBe(false);
    expect(canReportMessage(alumnus, channel(), { ...theirs, deleted: true })).toBe(false);
    expect(canReportMessage(employee, channel({ audience: 'alumni' }), theirs)).toBe(false);
  });

  it('take client ids of 1–64 letters, digits, _ and -', () => {
    expect(isValidClientId('m-1701_abc')).toBe(true);
    expect(isValidClientId('x'.repeat(64))).toBe(true);
    expect(isValidClientId('x'.repeat(65))).toBe(false);
    expect(isValidClientId('')).toBe(false);
    expect(isValidClientId('a b')).toBe(false);
    expect(isValidClientId('あ')).toBe(false);
    expect(isValidClientId("x';--")).toBe(false);
    expect(isValidClientId(42)).toBe(false);
  });
});

describe('reading', () => {
  it('moves forward only, never past the last seq', () => {
    expect(clampReadSeq(3, 5, 10)).toBe(5);
    expect(clampReadSeq(5, 3, 10)).toBe(5);
    expect(clampReadSeq(5, 10_000, 12)).toBe(12);
    expect(clampReadSeq(0, -4, 12)).toBe(0);
    expect(clampReadSeq(2, Number.NaN, 12)).toBe(2);
    expect(clampReadSeq(2, 7.9, 12)).toBe(7);
  });

  it('pages: after= replays up to REPLAY_MAX, before= and the latest give at most a page', () => {
    expect(messagePage({ after: 12 })).toEqual({ mode: 'after', seq: 12, limit: REPLAY_MAX });
    expect(messagePage({ after: 0, before: 4 })).toEqual({ mode: 'after', seq: 0, limit: REPLAY_MAX });
    expect(messagePage({ before: 40, limit: 10 })).toEqual({ mode: 'before', seq: 40, limit: 10 });
    expect(messagePage({ limit: 10_000 })).toEqual({ mode: 'before', seq: null, limit: MESSAGES_PAGE_SIZE });
    expect(messagePage({ before: -1, limit: 0 })).toEqual({ mode: 'before', seq: null, limit: 1 });
    expect(messagePage(undefined)).toEqual({ mode: 'before', seq: null, limit: MESSAGES_PAGE_SIZE });
  });
});
