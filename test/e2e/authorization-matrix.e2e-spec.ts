import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { RequestContext } from '@mikro-orm/core';
import { CommandBus, type Command } from '@nestjs/cqrs';
import type { Viewer } from '@libs/security/access-policy';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { MailMessage } from '@libs/mail/mail-message.entity';
import { SetProfilePhotoCommand } from '@modules/membership/contracts';
import { OpenDirectConversationCommand, RequestToJoinGroupCommand } from '@modules/networking/contracts';
import { CommentOnContentCommand, CreateContentCommand, PublishContentCommand, SubmitContentCommand, type ContentInput } from '@modules/content/contracts';
import { Member } from '@modules/membership/domain/member.entity';
import { Profile } from '@modules/membership/domain/profile.entity';
import { RosterImport } from '@modules/membership/domain/roster-import.entity';
import { CalendarFeed } from '@modules/events/domain/calendar-feed.entity';
import { Event } from '@modules/events/domain/event.entity';
import { Registration } from '@modules/events/domain/registration.entity';
import { buildEvent } from '../factories/event.factory';
import { buildChannel, buildGroup, sendMessage } from '../factories/chat.factory';
import { buildBoard, buildThread } from '../factories/forum.factory';
import { buildMember, type BuiltMember, type MemberSpec } from '../factories/member.factory';
import { browser, csrfToken, signIn, submit, type Agent } from '../support/http';
import { decode } from '../support/html';
import { bootWebApp, resetDatabase } from '../support/test-app';

/**
 * THE authorization matrix: every route of the app × every kind of viewer, with the expected outcome in every cell.
 *
 * Outcomes:
 *   200, 400, 401, 403, 404  the response status (403 pages show the "no permission" heading; /api answers JSON)
 *   'login'                  303 to /login?next=<the page> for GET, 303 to /login for POST (not signed in)
 *   '→/place'                303 to that place (a POST that was accepted, or a form sent back to its page)
 *
 * In paths and outcomes, {member} is an approved member, {applicant} a pending application, {suspendedMember} a
 * suspended member, {invitation} an open invitation's token, {mail} a stored mail, {self} the viewer's own id and
 * {badToken} is "x". GET cells share one session per viewer; POST cells get a fresh viewer (and fresh targets), so
 * that one cell's changes cannot leak into another.
 */

const VIEWERS = ['anonymous', 'pending', 'employee', 'alumni', 'operator', 'admin', 'suspended'] as const;
type ViewerName = (typeof VIEWERS)[number];
type Outcome = 200 | 201 | 204 | 400 | 401 | 403 | 404 | 409 | 'login' | `→${string}`;
type Outcomes = [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome];
type Fields = Record<string, string>;
type TargetKind = 'member' | 'applicant' | 'suspendedMember' | 'adminEvent' | 'forumPost' | 'chatMessage' | 'contentDraft' | 'contentSubmitted' | 'contentPublished' | 'contentComment';

interface Ctx {
  self?: string;
  member: string;
  /** Image ids of the member's, the applicant's and the suspended member's photos; one that exists nowhere. */
  photo: string;
  applicantPhoto: string;
  suspendedPhoto: string;
  unknownPhoto: string;
  /** A variant every profile photo has (the 160 px square). */
  variant: string;
  applicant: string;
  suspendedMember: string;
  invitation: string;
  mail: string;
  badToken: string;
  /** A value unique to the cell, for e-mail addresses that must not exist yet. */
  unique: string;
  /** An active member whose credentials a POST /login cell uses. */
  login?: BuiltMember;
  /** The name of the password field of the e-mail change form, as /account shows it. */
  emailFormPassword: string;
  /** Two previewed roster imports: one to confirm, one to discard. */
  rosterImport: string;
  rosterDiscard: string;
  /** Events (operators): a draft (fresh for each POST cell), and a published event with a confirmed registration. */
  adminEvent: string;
  checkInEvent: string;
  checkInRegistration: string;
  /** Members' events: a published members' event (no seat limit) and an alumni-only one. */
  event: string;
  alumniEvent: string;
  /** The forum: boards of each kind, a thread on the members' and the alumni board, the target member's first post. */
  board: string;
  alumniBoard: string;
  publicBoard: string;
  thread: string;
  alumniThread: string;
  post: string;
  /** A post of the target member's, fresh for each POST cell (for deleting, reporting, hiding). */
  forumPost: string;
  forumThread: string;
  reactionKind: string;
  /**
   * Chat, all made by the target member: a members' channel and an alumni channel they joined, a DM of theirs with
   * another member, a listed group they own (with one more member, and a pending join request of {chatRequester}),
   * a secret group; their first message in the channel (seq 1) and in the DM.
   */
  chatChannel: string;
  chatAlumniChannel: string;
  chatDm: string;
  chatGroup: string;
  chatSecretGroup: string;
  chatGroupMember: string;
  chatRequester: string;
  chatMessage: string;
  chatDmMessage: string;
  /** A message of the target member's in the channel, fresh for each POST cell (hiding, reporting), and its seq. */
  chatFreshMessage: string;
  chatFreshSeq: string;
  /** The page of history that shows it (its seq + 25, as the page's links say). */
  chatFreshBefore: string;
  /**
   * Content, written by the target member (an employees-only item by an employee), published by an operator: a public,
   * a members' and an employees-only item; the target's draft and submitted item, a published item and a comment of
   * the target's on it — the last four fresh for each POST cell that changes them.
   */
  contentPublic: string;
  contentMembers: string;
  contentEmployees: string;
  contentDraft: string;
  contentSubmitted: string;
  contentPublished: string;
  contentComment: string;
}

interface Row {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  outcomes: Outcomes;
  body?: (c: Ctx) => Fields;
  multipart?: boolean;
  /** The file a multipart row sends (a photo unless given). */
  upload?: { field: string; filename: string; contentType: string; content: Buffer };
  /** Which target must be fresh for each POST cell. */
  fresh?: TargetKind[];
  /** Reads the state the route changes; it must change exactly when the cell's outcome is an accepted POST. */
  probe?: (c: Ctx, em: EntityManager) => Promise<unknown>;
  /** A JSON body (API rows). */
  json?: (c: Ctx) => Record<string, unknown>;
}

const row = (method: Row['method'], path: string, outcomes: Outcomes, extra: Omit<Row, 'method' | 'path' | 'outcomes'> = {}): Row => ({
  method,
  path,
  outcomes,
  ...extra,
});

const ROSTER_CSV = Buffer.from('社員番号,姓,名,メールアドレス\nR1,名簿,太郎,roster-matrix@example.jp\n', 'utf8');
const rosterState = (em: EntityManager, id: string) => em.findOne(RosterImport, { id }).then((r) => r?.state);
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const NEW_PASSWORD = 'another-Pass-2026';

const memberRow = (em: EntityManager, id?: string) => (id ? em.findOne(Member, { id }) : Promise.resolve(null));
/** Chat's state for probes (null without a viewer id: an anonymous cell). */
const chatCount = async (em: EntityManager, sql: string, ...params: (string | undefined)[]) =>
  params.some((p) => p === undefined) ? null : Number((await em.execute<{ n: string }[]>(sql, params))[0].n);
const chatJoined = (em: EntityManager, conversationId: string, memberId?: string) =>
  chatCount(em, 'select count(*) as n from networking.conversation_member where conversation_id = ? and member_id = ?', conversationId, memberId);
const chatLastSeq = async (em: EntityManager, conversationId: string) => (await em.execute<{ last_seq: number }[]>('select last_seq from networking.conversation where id = ?', [conversationId]))[0]?.last_seq;
const chatName = async (em: EntityManager, conversationId: string) => (await em.execute<{ name_ja: string }[]>('select name_ja from networking.conversation where id = ?', [conversationId]))[0]?.name_ja;
const chatMessageRow = (em: EntityManager, id: string) => em.execute('select body, edited_at, deleted_at, hidden_at from networking.chat_message where id = ?', [id]);
const profileRow = (em: EntityManager, id?: string) => (id ? em.findOne(Profile, { memberId: id }) : Promise.resolve(null));
/** Content's state for probes. */
const contentRow = async (em: EntityManager, id: string) =>
  (await em.execute<Record<string, unknown>[]>('select status, revision_status, title, featured_at, updated_at from content.item where id = ?', [id]))[0] ?? null;
const contentLikes = async (em: EntityManager, id: string) => (await em.execute<{ like_count: number }[]>('select like_count from content.item where id = ?', [id]))[0]?.like_count;
const contentCount = chatCount;

// prettier-ignore
const MATRIX: Row[] = [
  //                                                        anonymous  pending   employee  alumni    operator  admin     suspended
  row('GET',  '/',                                         [200,       200,      200,      200,      200,      200,      200]),
  row('GET',  '/login',                                    [200,       200,      200,      200,      200,      200,      200]),
  row('GET',  '/apply',                                    [200,       '→/',     '→/',     '→/',     '→/',     '→/',     200]),
  row('GET',  '/apply/sent',                               [200,       200,      200,      200,      200,      200,      200]),
  row('GET',  '/password-reset',                           [200,       200,      200,      200,      200,      200,      200]),
  row('GET',  '/password-reset/{badToken}',                [400,       400,      400,      400,      400,      400,      400]),
  row('GET',  '/invitations/{invitation}',                 [200,       200,      200,      200,      200,      200,      200]),
  row('GET',  '/invitations/{badToken}',                   [400,       400,      400,      400,      400,      400,      400]),
  row('GET',  '/verify-email/{badToken}',                  [400,       400,      400,      400,      400,      400,      400]),
  row('GET',  '/account/email/{badToken}',                 [400,       400,      400,      400,      400,      400,      400]),
  row('GET',  '/health',                                   [200,       200,      200,      200,      200,      200,      200]),
  row('GET',  '/api/docs',                                 [200,       200,      200,      200,      200,      200,      200]),
  row('GET',  '/no-such-page',                             [404,       404,      404,      404,      404,      404,      404]),
  row('GET',  '/account',                                  ['login',   200,      200,      200,      200,      200,      'login']),
  row('GET',  '/members',                                  ['login',   403,      200,      200,      200,      200,      'login']),
  row('GET',  '/members?q=%E4%BA%BA%E4%BA%8B&openTo=comeback', ['login', 403,    200,      200,      200,      200,      'login']),
  row('GET',  '/profile',                                  ['login',   403,      '→/members/{self}', '→/members/{self}', '→/members/{self}', '→/members/{self}', 'login']),
  row('GET',  '/profile/edit',                             ['login',   403,      200,      200,      200,      200,      'login']),
  row('GET',  '/members/{member}',                         ['login',   403,      200,      200,      200,      200,      'login']),
  // Profile photos: the address of the current photo, then its variants, shown to whoever may see the profile.
  row('GET',  '/members/{member}/photo',                   ['login',   403,      '→/members/{member}/photo/{photo}/480', '→/members/{member}/photo/{photo}/480', '→/members/{member}/photo/{photo}/480', '→/members/{member}/photo/{photo}/480', 'login']),
  row('GET',  '/members/{member}/photo?size=64',           ['login',   403,      '→/members/{member}/photo/{photo}/64', '→/members/{member}/photo/{photo}/64', '→/members/{member}/photo/{photo}/64', '→/members/{member}/photo/{photo}/64', 'login']),
  row('GET',  '/members/{applicant}/photo',                ['login',   403,      404,      404,      '→/members/{applicant}/photo/{applicantPhoto}/480', '→/members/{applicant}/photo/{applicantPhoto}/480', 'login']),
  row('GET',  '/members/{member}/photo/{photo}/{variant}', ['login',   403,      200,      200,      200,      200,      'login']),
  row('GET',  '/members/{member}/photo/{photo}/full',      ['login',   403,      200,      200,      200,      200,      'login']),
  row('GET',  '/members/{member}/photo/{photo}/original',  ['login',   403,      404,      404,      404,      404,      'login']),
  row('GET',  '/members/{member}/photo/{unknownPhoto}/160', ['login',  403,      404,      404,      404,      404,      'login']),
  row('GET',  '/members/{member}/photo/{applicantPhoto}/160', ['login', 403,     404,      404,      404,      404,      'login']),
  row('GET',  '/members/{applicant}/photo/{applicantPhoto}/160', ['login', 403,  404,      404,      200,      200,      'login']),
  row('GET',  '/members/{suspendedMember}/photo/{suspendedPhoto}/64', ['login', 403, 404,  404,      200,      200,      'login']),
  row('GET',  '/members/{applicant}',                      ['login',   403,      404,      404,      200,      200,      'login']),
  row('GET',  '/members/{suspendedMember}',                ['login',   403,      404,      404,      200,      200,      'login']),
  row('GET',  '/members/{badToken}',                       ['login',   403,      404,      404,      404,      404,      'login']),
  row('GET',  '/api/v1/me',                                [401,       200,      200,      200,      200,      200,      401]),
  row('GET',  '/api/v1/members/{member}',                  [401,       403,      200,      200,      200,      200,      401]),
  row('GET',  '/api/v1/members/{applicant}',               [401,       403,      404,      404,      200,      200,      401]),
  row('GET',  '/admin',                                    ['login',   403,      403,      403,      200,      200,      'login']),
  row('GET',  '/admin/applications',                       ['login',   403,      403,      403,      200,      200,      'login']),
  row('GET',  '/admin/applications/{applicant}',           ['login',   403,      403,      403,      200,      200,      'login']),
  row('GET',  '/admin/applications/{member}',              ['login',   403,      403,      403,      404,      404,      'login']),
  row('GET',  '/admin/members',                            ['login',   403,      403,      403,      200,      200,      'login']),
  row('GET',  '/admin/members/{member}',                   ['login',   403,      403,      403,      200,      200,      'login']),
  row('GET',  '/admin/invitations',                        ['login',   403,      403,      403,      200,      200,      'login']),
  row('GET',  '/admin/queues',                             ['login',   403,      403,      403,      403,      200,      'login']),
  row('GET',  '/admin/queues/api/queues',                  ['→/login?next=%2Fadmin%2Fqueues', 403, 403, 403, 403, 200, '→/login?next=%2Fadmin%2Fqueues']),
  row('GET',  '/dev/mail',                                 ['login',   403,      403,      403,      403,      200,      'login']),
  row('GET',  '/dev/mail/{mail}',                          ['login',   403,      403,      403,      403,      200,      'login']),
  // Audit log of restricted personal data, and the admins' CSV export of the member list
  row('GET',  '/admin/audit-log',                          ['login',   403,      403,      403,      403,      200,      'login']),
  row('GET',  '/admin/audit-log?action=directory.exported&from=2026-01-01', ['login', 403, 403, 403,     403,      200,      'login']),
  row('GET',  '/admin/members/export.csv',                 ['login',   403,      403,      403,      403,      200,      'login']),
  row('GET',  '/admin/members/export.csv?status=alumni&q=%E5%AF%BE%E8%B1%A1', ['login', 403, 403, 403, 403, 200, 'login']),

  row('POST', '/login',                                    ['→/',      '→/',     '→/',     '→/',     '→/',     '→/',     '→/'],
    { body: (c) => ({ email: c.login!.email, password: c.login!.password }) }),
  row('POST', '/logout',                                   ['→/',      '→/',     '→/',     '→/',     '→/',     '→/',     '→/']),
  row('POST', '/locale',                                   ['→/account', '→/account', '→/account', '→/account', '→/account', '→/account', '→/account'],
    { body: () => ({ locale: 'en', next: '/account' }) }),
  row('POST', '/apply',                                    ['→/apply/sent', '→/', '→/', '→/', '→/', '→/', '→/apply/sent'],
    { body: (c) => ({ familyName: '新井', givenName: '葵', familyNameKana: 'アライ', givenNameKana: 'アオイ', email: `apply-${c.unique}@example.jp`, password: 'applicant-Pass-2026', appliedAs: 'alumni', joinedYear: '2010', leftYear: '2018' }) }),
  row('POST', '/password-reset',                           ['→/password-reset', '→/password-reset', '→/password-reset', '→/password-reset', '→/password-reset', '→/password-reset', '→/password-reset'],
    { body: (c) => ({ email: `reset-${c.unique}@example.jp` }) }),
  row('POST', '/password-reset/{badToken}',                ['→/password-reset/x', '→/password-reset/x', '→/password-reset/x', '→/password-reset/x', '→/password-reset/x', '→/password-reset/x', '→/password-reset/x'],
    { body: () => ({ password: NEW_PASSWORD }) }),
  row('POST', '/invitations/{badToken}',                   ['→/invitations/x', '→/invitations/x', '→/invitations/x', '→/invitations/x', '→/invitations/x', '→/invitations/x', '→/invitations/x'],
    { body: () => ({ familyName: '新井', givenName: '葵', familyNameKana: 'アライ', givenNameKana: 'アオイ', password: NEW_PASSWORD }) }),
  row('POST', '/verify-email/resend',                      ['login',   '→/',     '→/',     '→/',     '→/',     '→/',     'login']),
  row('POST', '/account/password',                         ['login',   '→/account', '→/account', '→/account', '→/account', '→/account', 'login'],
    { body: () => ({ currentPassword: 'correct-horse-42', newPassword: NEW_PASSWORD }), probe: async (c, em) => (await memberRow(em, c.self))?.passwordHash }),
  row('POST', '/account/email',                            ['login',   '→/account', '→/account', '→/account', '→/account', '→/account', 'login'],
    { body: (c) => ({ newEmail: `new-${c.unique}@example.jp`, [c.emailFormPassword]: 'correct-horse-42' }), probe: (c, em) => em.count(MailMessage, { to: `new-${c.unique}@example.jp` }) }),
  row('POST', '/account/sessions/end',                     ['login',   '→/login', '→/login', '→/login', '→/login', '→/login', 'login'],
    { probe: async (c, em) => (await memberRow(em, c.self))?.sessionVersion }),
  row('POST', '/profile/basic',                            ['login',   403,      '→/profile/edit#basic', '→/profile/edit#basic', '→/profile/edit#basic', '→/profile/edit#basic', 'login'],
    { body: () => ({ familyName: '更新', givenName: '花子', familyNameKana: 'コウシン', givenNameKana: 'ハナコ' }), probe: async (c, em) => (await profileRow(em, c.self))?.familyName }),
  row('POST', '/profile/career',                           ['login',   403,      '→/profile/edit#career', '→/profile/edit#career', '→/profile/edit#career', '→/profile/edit#career', 'login'],
    { body: () => ({ 'career[0][department]': '経理部', 'career[0][position]': '主任', 'career[0][from]': '2012-04', 'career[0][to]': '2018-03', currentCompany: '株式会社みらい' }), probe: async (c, em) => (await profileRow(em, c.self))?.currentCompany }),
  row('POST', '/profile/skills',                           ['login',   403,      '→/profile/edit#skills', '→/profile/edit#skills', '→/profile/edit#skills', '→/profile/edit#skills', 'login'],
    { body: () => ({ skills: '会計、Python', bio: 'よろしくお願いします。' }), probe: async (c, em) => (await profileRow(em, c.self))?.skills }),
  row('POST', '/profile/privacy',                          ['login',   403,      '→/profile/edit#privacy', '→/profile/edit#privacy', '→/profile/edit#privacy', '→/profile/edit#privacy', 'login'],
    { body: () => ({ contact: 'private', birthDate: 'private', career: 'operators', currentEmployer: 'private' }), probe: async (c, em) => (await profileRow(em, c.self))?.privacy }),
  row('POST', '/profile/photo',                            ['login',   403,      '→/profile/edit#photo', '→/profile/edit#photo', '→/profile/edit#photo', '→/profile/edit#photo', 'login'],
    { multipart: true, probe: async (c, em) => (await profileRow(em, c.self))?.photoId }),
  row('POST', '/profile/photo/delete',                     ['login',   403,      '→/profile/edit#photo', '→/profile/edit#photo', '→/profile/edit#photo', '→/profile/edit#photo', 'login']),
  row('POST', '/admin/applications/{applicant}/approve',   ['login',   403,      403,      403,      '→/admin/applications', '→/admin/applications', 'login'],
    { fresh: ['applicant'], probe: async (c, em) => (await memberRow(em, c.applicant))?.applicationState }),
  row('POST', '/admin/applications/{applicant}/decline',   ['login',   403,      403,      403,      '→/admin/applications', '→/admin/applications', 'login'],
    { fresh: ['applicant'], body: () => ({ reason: '在籍記録を確認できませんでした。' }), probe: async (c, em) => (await memberRow(em, c.applicant))?.applicationState }),
  row('POST', '/admin/members/{member}/status',            ['login',   403,      403,      403,      403,      '→/admin/members/{member}', 'login'],
    { fresh: ['member'], body: () => ({ status: 'employee' }), probe: async (c, em) => (await memberRow(em, c.member))?.status }),
  row('POST', '/admin/members/{member}/role',              ['login',   403,      403,      403,      403,      '→/admin/members/{member}', 'login'],
    { fresh: ['member'], body: () => ({ role: 'operator' }), probe: async (c, em) => (await memberRow(em, c.member))?.role }),
  row('POST', '/admin/members/{member}/suspend',           ['login',   403,      403,      403,      403,      '→/admin/members/{member}', 'login'],
    { fresh: ['member'], body: () => ({ reason: '確認のため' }), probe: async (c, em) => (await memberRow(em, c.member))?.status }),
  row('POST', '/admin/members/{suspendedMember}/reinstate', ['login',  403,      403,      403,      403,      '→/admin/members/{suspendedMember}', 'login'],
    { fresh: ['suspendedMember'], probe: async (c, em) => (await memberRow(em, c.suspendedMember))?.status }),
  row('POST', '/admin/invitations',                        ['login',   403,      403,      403,      '→/admin/invitations', '→/admin/invitations', 'login'],
    { body: (c) => ({ email: `invite-${c.unique}@example.jp`, status: 'alumni', locale: 'ja', message: 'ぜひご参加ください。' }), probe: (c, em) => em.count(MailMessage, { to: `invite-${c.unique}@example.jp` }) }),
  // HR roster import (人事データ取込): HR admins only
  row('GET',  '/admin/roster-imports',                     ['login',   403,      403,      403,      403,      200,      'login']),
  row('GET',  '/admin/roster-imports?page=2',              ['login',   403,      403,      403,      403,      200,      'login']),
  row('GET',  '/admin/roster-imports/{rosterImport}',      ['login',   403,      403,      403,      403,      200,      'login']),
  row('GET',  '/admin/roster-imports/{member}',            ['login',   403,      403,      403,      403,      404,      'login']),
  row('GET',  '/admin/roster-imports/{badToken}',          ['login',   403,      403,      403,      403,      404,      'login']),
  row('POST', '/admin/roster-imports',                     ['login',   403,      403,      403,      403,      '→/admin/roster-imports', 'login'],
    { multipart: true, upload: { field: 'file', filename: 'empty.csv', contentType: 'text/csv', content: Buffer.from('社員番号,姓,名,メールアドレス\n') } }),
  row('POST', '/admin/roster-imports/{rosterImport}/confirm', ['login', 403,      403,      403,      403,      '→/admin/roster-imports/{rosterImport}', 'login'],
    { probe: (c, em) => rosterState(em, c.rosterImport) }),
  row('POST', '/admin/roster-imports/{rosterDiscard}/discard', ['login', 403,      403,      403,      403,      '→/admin/roster-imports', 'login'],
    { probe: (c, em) => rosterState(em, c.rosterDiscard) }),
  // Events for operators (/admin/events): list, form, publish, cancel, attendees and CSV, check-in
  row('GET',  '/admin/events',                             ['login',   403,      403,      403,      200,      200,      'login']),
  row('GET',  '/admin/events?state=past&page=2',           ['login',   403,      403,      403,      200,      200,      'login']),
  row('GET',  '/admin/events/new',                         ['login',   403,      403,      403,      200,      200,      'login']),
  row('GET',  '/admin/events/{adminEvent}/edit',           ['login',   403,      403,      403,      200,      200,      'login']),
  row('GET',  '/admin/events/{badToken}/edit',             ['login',   403,      403,      403,      404,      404,      'login']),
  row('GET',  '/admin/events/{checkInEvent}/attendees',    ['login',   403,      403,      403,      200,      200,      'login']),
  row('GET',  '/admin/events/{checkInEvent}/attendees.csv', ['login',  403,      403,      403,      200,      200,      'login']),
  row('GET',  '/admin/events/{checkInEvent}/check-in',     ['login',   403,      403,      403,      200,      200,      'login']),
  row('POST', '/admin/events',                             ['login',   403,      403,      403,      '→/admin/events/new', '→/admin/events/new', 'login'],
    { body: () => ({ title: '' }) }),
  row('POST', '/admin/events/{adminEvent}',                ['login',   403,      403,      403,      '→/admin/events/{adminEvent}/edit', '→/admin/events/{adminEvent}/edit', 'login'],
    { fresh: ['adminEvent'], body: (c) => ({ title: `変更-${c.unique}`, category: 'party', format: 'onsite', visibility: 'members', timeZone: 'Asia/Tokyo', startsAt: '2030-05-01T18:00', endsAt: '2030-05-01T20:00', place: '本社', feeYen: '0', capacity: '10', maxCompanions: '0', organiserName: '運営事務局' }),
      probe: async (c, em) => (await em.findOne(Event, { id: c.adminEvent }))?.title }),
  row('POST', '/admin/events/{adminEvent}/publish',        ['login',   403,      403,      403,      '→/admin/events/{adminEvent}/edit', '→/admin/events/{adminEvent}/edit', 'login'],
    { fresh: ['adminEvent'], probe: async (c, em) => (await em.findOne(Event, { id: c.adminEvent }))?.state }),
  row('POST', '/admin/events/{adminEvent}/cancel',         ['login',   403,      403,      403,      '→/admin/events/{adminEvent}/edit', '→/admin/events/{adminEvent}/edit', 'login'],
    { fresh: ['adminEvent'], body: () => ({ reason: '会場の都合' }), probe: async (c, em) => (await em.findOne(Event, { id: c.adminEvent }))?.state }),
  row('POST', '/admin/events/{checkInEvent}/check-in/{checkInRegistration}', ['login', 403, 403, 403, '→/admin/events/{checkInEvent}/check-in#r-{checkInRegistration}', '→/admin/events/{checkInEvent}/check-in#r-{checkInRegistration}', 'login']),
  row('POST', '/admin/events/{checkInEvent}/check-in/{checkInRegistration}/undo', ['login', 403, 403, 403, '→/admin/events/{checkInEvent}/check-in#r-{checkInRegistration}', '→/admin/events/{checkInEvent}/check-in#r-{checkInRegistration}', 'login']),
  // Personal data: consent per purpose, data download, account deletion
  row('GET',  '/account/privacy',                          ['login',   403,      200,      200,      200,      200,      'login']),
  row('GET',  '/account/data',                             ['login',   200,      200,      200,      200,      200,      'login']),
  row('GET',  '/account/data-exports/{badToken}/download', ['login',   404,      404,      404,      404,      404,      'login']),
  row('GET',  '/account/data-exports/{member}/download',   ['login',   404,      404,      404,      404,      404,      'login']),
  row('GET',  '/account/delete',                           ['login',   200,      200,      200,      200,      200,      'login']),
  row('GET',  '/account/deleted',                          [200,       200,      200,      200,      200,      200,      200]),
  row('POST', '/account/privacy/consents',                 ['login',   403,      '→/account/privacy', '→/account/privacy', '→/account/privacy', '→/account/privacy', 'login'],
    { body: () => ({ purpose: 'talent_pool', decision: 'give', version: '2026-11' }),
      probe: async (c, em) => (c.self ? Number((await em.execute<{ n: string }[]>('select count(*) as n from privacy.consent_record where member_id = ?', [c.self]))[0].n) : null) }),
  row('POST', '/account/data/exports',                     ['login',   '→/account/data', '→/account/data', '→/account/data', '→/account/data', '→/account/data', 'login'],
    { probe: async (c, em) => (c.self ? Number((await em.execute<{ n: string }[]>('select count(*) as n from privacy.data_export where member_id = ?', [c.self]))[0].n) : null) }),
  row('POST', '/account/delete',                           ['login',   '→/account/deleted', '→/account/deleted', '→/account/deleted', '→/account/deleted', '→/account/deleted', 'login'],
    { body: () => ({ password: 'correct-horse-42', confirm: 'on' }), probe: async (c, em) => (await memberRow(em, c.self))?.status }),
  // Events for members: list, detail, registration, calendar files, personal feed, time zone
  row('GET',  '/events',                                   [200,       200,      200,      200,      200,      200,      200]),
  row('GET',  '/events?tab=past&category=party&q=%E6%87%87%E8%A6%AA', [200, 200,   200,      200,      200,      200,      200]),
  row('GET',  '/events/{event}',                           ['login',   404,      200,      200,      200,      200,      'login']),
  row('GET',  '/events/{alumniEvent}',                     ['login',   404,      404,      200,      200,      200,      'login']),
  row('GET',  '/events/{badToken}',                        ['login',   404,      404,      404,      404,      404,      'login']),
  row('GET',  '/events/{event}/calendar.ics',              [404,       404,      200,      200,      200,      200,      404]),
  row('GET',  '/events/{alumniEvent}/calendar.ics',        [404,       404,      404,      200,      200,      200,      404]),
  row('GET',  '/calendar/feed/{badToken}.ics',             [404,       404,      404,      404,      404,      404,      404]),
  row('GET',  '/account/calendar',                         ['login',   403,      200,      200,      200,      200,      'login']),
  row('POST', '/events/{event}/register',                  ['login',   403,      '→/events/{event}', '→/events/{event}', '→/events/{event}', '→/events/{event}', 'login'],
    { probe: (c, em) => (c.self ? em.count(Registration, { eventId: c.event, memberId: c.self, state: 'confirmed' }) : Promise.resolve(null)) }),
  row('POST', '/events/{alumniEvent}/register',            ['login',   403,      404,      '→/events/{alumniEvent}', '→/events/{alumniEvent}', '→/events/{alumniEvent}', 'login'],
    { probe: (c, em) => (c.self ? em.count(Registration, { eventId: c.alumniEvent, memberId: c.self }) : Promise.resolve(null)) }),
  row('POST', '/events/{event}/cancel-registration',       ['login',   403,      '→/events/{event}', '→/events/{event}', '→/events/{event}', '→/events/{event}', 'login']),
  row('POST', '/account/calendar',                         ['login',   403,      '→/account/calendar', '→/account/calendar', '→/account/calendar', '→/account/calendar', 'login'],
    { probe: (c, em) => (c.self ? em.count(CalendarFeed, { memberId: c.self }) : Promise.resolve(null)) }),
  row('POST', '/account/calendar/revoke',                  ['login',   403,      '→/account/calendar', '→/account/calendar', '→/account/calendar', '→/account/calendar', 'login']),
  row('POST', '/account/time-zone',                        ['login',   '→/account#time-zone', '→/account#time-zone', '→/account#time-zone', '→/account#time-zone', '→/account#time-zone', 'login'],
    { body: () => ({ timeZone: 'Europe/London' }), probe: async (c, em) => (await memberRow(em, c.self))?.timeZone }),
  // Site notifications (the bell and /notifications): approved members
  row('GET',  '/notifications',                            ['login',   403,      200,      200,      200,      200,      'login']),
  row('GET',  '/notifications?page=2',                     ['login',   403,      200,      200,      200,      200,      'login']),
  row('POST', '/notifications/read',                       ['login',   403,      '→/notifications', '→/notifications', '→/notifications', '→/notifications', 'login']),
  // The forum (Networking): boards by visibility, threads, posts; {board} is a members' board, {alumniBoard} alumni only,
  // {publicBoard} readable by visitors; {thread} and {post} are on {board}, by the target member.
  row('GET',  '/forum',                                    [200,       200,      200,      200,      200,      200,      200]),
  row('GET',  '/forum/unread',                             ['login',   403,      200,      200,      200,      200,      'login']),
  row('GET',  '/forum/new',                                ['login',   403,      200,      200,      200,      200,      'login']),
  row('GET',  '/forum/search',                             [200,       200,      200,      200,      200,      200,      200]),
  row('GET',  '/forum/search?q=%E4%BA%BA',                 [200,       200,      200,      200,      200,      200,      200]),
  row('GET',  '/forum/mentions',                           ['login',   403,      400,      400,      400,      400,      'login']),
  row('GET',  '/forum/search?q=%E8%AD%B0%E4%BA%8B',        [200,       200,      200,      200,      200,      200,      200]),
  row('GET',  '/forum/mentions?board={board}&q=%E8%A9%A6%E9%A8%93', ['login', 403, 200,    200,      200,      200,      'login']),
  row('GET',  '/forum/mentions?board={alumniBoard}&q=x',   ['login',   403,      404,      200,      200,      200,      'login']),
  row('GET',  '/forum/images/{badToken}/{variant}',              [404,       404,      404,      404,      404,      404,      404]),
  row('GET',  '/forum/b/{board}',                          ['login',   404,      200,      200,      200,      200,      'login']),
  row('GET',  '/forum/b/{alumniBoard}',                    ['login',   404,      404,      200,      200,      200,      'login']),
  row('GET',  '/forum/b/{publicBoard}',                    [200,       200,      200,      200,      200,      200,      200]),
  row('GET',  '/forum/b/{badToken}',                       ['login',   404,      404,      404,      404,      404,      'login']),
  row('GET',  '/forum/t/{thread}',                         ['login',   404,      200,      200,      200,      200,      'login']),
  row('GET',  '/forum/t/{thread}?page=2&per=50',           ['login',   404,      200,      200,      200,      200,      'login']),
  row('GET',  '/forum/t/{alumniThread}',                   ['login',   404,      404,      200,      200,      200,      'login']),
  row('GET',  '/forum/t/{badToken}',                       ['login',   404,      404,      404,      404,      404,      'login']),
  row('GET',  '/forum/p/{post}',                           ['login',   404,      '→/forum/t/{thread}?page=1#p1', '→/forum/t/{thread}?page=1#p1', '→/forum/t/{thread}?page=1#p1', '→/forum/t/{thread}?page=1#p1', 'login']),
  row('GET',  '/forum/p/{post}/edit',                      ['login',   403,      403,      403,      403,      403,      'login']),
  row('GET',  '/forum/p/{post}/report',                    ['login',   403,      200,      200,      200,      200,      'login']),
  row('GET',  '/forum/p/{post}/revisions',                 ['login',   403,      403,      403,      200,      200,      'login']),
  row('POST', '/forum/b/{board}/threads',                  ['login',   403,      '→/forum/b/{board}', '→/forum/b/{board}', '→/forum/b/{board}', '→/forum/b/{board}', 'login'],
    { body: () => ({ title: '', body: '' }) }),
  row('POST', '/forum/b/{alumniBoard}/threads',            ['login',   403,      404,      '→/forum/b/{alumniBoard}', '→/forum/b/{alumniBoard}', '→/forum/b/{alumniBoard}', 'login'],
    { body: () => ({ title: '', body: '' }) }),
  row('POST', '/forum/b/{board}/read',                     ['login',   403,      '→/forum/b/{board}', '→/forum/b/{board}', '→/forum/b/{board}', '→/forum/b/{board}', 'login'],
    { probe: (c, em) => (c.self ? em.execute('select marked_read_at from networking.board_read where member_id = ?', [c.self]) : Promise.resolve(null)) }),
  row('POST', '/forum/b/{board}/watch',                    ['login',   403,      '→/forum/b/{board}', '→/forum/b/{board}', '→/forum/b/{board}', '→/forum/b/{board}', 'login'],
    { body: () => ({ level: 'watching' }) }),
  row('POST', '/forum/t/{thread}/posts',                   ['login',   403,      '→/forum/t/{thread}', '→/forum/t/{thread}', '→/forum/t/{thread}', '→/forum/t/{thread}', 'login'],
    { body: () => ({ body: '' }) }),
  row('POST', '/forum/t/{thread}/watch',                   ['login',   403,      '→/forum/t/{thread}', '→/forum/t/{thread}', '→/forum/t/{thread}', '→/forum/t/{thread}', 'login'],
    { body: () => ({ level: 'muted' }) }),
  row('POST', '/forum/t/{thread}/moderate',                ['login',   403,      403,      403,      '→/forum/t/{thread}', '→/forum/t/{thread}', 'login'],
    { body: () => ({ action: 'unpin' }) }),
  row('POST', '/forum/p/{forumPost}/edit',                 ['login',   403,      403,      403,      403,      403,      'login'],
    { fresh: ['forumPost'], body: () => ({ body: '書き換え' }), probe: (c, em) => em.execute('select body from networking.post where id = ?', [c.forumPost]) }),
  row('POST', '/forum/p/{forumPost}/delete',               ['login',   403,      403,      403,      '→/forum/t/{forumThread}?page=1#p1', '→/forum/t/{forumThread}?page=1#p1', 'login'],
    { fresh: ['forumPost'], probe: (c, em) => em.execute('select deleted_at from networking.post where id = ?', [c.forumPost]) }),
  row('POST', '/forum/p/{forumPost}/react',                ['login',   403,      '→/forum/t/{forumThread}?page=1#p1', '→/forum/t/{forumThread}?page=1#p1', '→/forum/t/{forumThread}?page=1#p1', '→/forum/t/{forumThread}?page=1#p1', 'login'],
    { fresh: ['forumPost'], body: () => ({ kind: 'like', on: '1' }), probe: (c, em) => em.execute('select reactions from networking.post where id = ?', [c.forumPost]) }),
  row('POST', '/forum/p/{forumPost}/report',               ['login',   403,      '→/forum/t/{forumThread}?page=1#p1', '→/forum/t/{forumThread}?page=1#p1', '→/forum/t/{forumThread}?page=1#p1', '→/forum/t/{forumThread}?page=1#p1', 'login'],
    { fresh: ['forumPost'], body: () => ({ reason: '確認してください' }), probe: (c, em) => em.execute('select count(*) as n from moderation.report where subject_id = ?', [c.forumPost]) }),
  row('POST', '/forum/p/{forumPost}/moderate',             ['login',   403,      403,      403,      '→/forum/t/{forumThread}?page=1#p1', '→/forum/t/{forumThread}?page=1#p1', 'login'],
    { fresh: ['forumPost'], body: () => ({ action: 'hide', note: '確認中' }), probe: (c, em) => em.execute('select hidden_at from networking.post where id = ?', [c.forumPost]) }),
  // Forum boards and the moderation queue in the HR console: operators
  row('GET',  '/admin/forum',                              ['login',   403,      403,      403,      200,      200,      'login']),
  row('GET',  '/admin/forum/new',                          ['login',   403,      403,      403,      200,      200,      'login']),
  row('GET',  '/admin/forum/{board}/edit',                 ['login',   403,      403,      403,      200,      200,      'login']),
  row('GET',  '/admin/forum/{badToken}/edit',              ['login',   403,      403,      403,      404,      404,      'login']),
  row('POST', '/admin/forum/new',                          ['login',   403,      403,      403,      '→/admin/forum/new', '→/admin/forum/new', 'login'],
    { body: () => ({ nameJa: '', visibility: 'members', threadStarters: 'members' }) }),
  row('POST', '/admin/forum/{board}/edit',                 ['login',   403,      403,      403,      '→/admin/forum/{board}/edit', '→/admin/forum/{board}/edit', 'login'],
    { body: () => ({ nameJa: '', visibility: 'members', threadStarters: 'members' }) }),
  row('POST', '/admin/forum/{board}/move',                 ['login',   403,      403,      403,      '→/admin/forum', '→/admin/forum', 'login'],
    { body: () => ({ direction: 'down' }) }),
  row('POST', '/admin/forum/{board}/archive',              ['login',   403,      403,      403,      '→/admin/forum', '→/admin/forum', 'login'],
    { body: () => ({ archived: '0' }) }),
  row('GET',  '/admin/moderation',                         ['login',   403,      403,      403,      200,      200,      'login']),
  row('GET',  '/admin/moderation/members/{member}',        ['login',   403,      403,      403,      200,      200,      'login']),
  row('GET',  '/admin/moderation/members/{badToken}',      ['login',   403,      403,      403,      404,      404,      'login']),
  row('POST', '/admin/moderation/decide',                  ['login',   403,      403,      403,      '→/admin/moderation', '→/admin/moderation', 'login'],
    { fresh: ['forumPost'], body: (c) => ({ subjectType: 'forum-post', subjectId: c.forumPost, decision: 'keep', note: '問題なし' }),
      probe: (c, em) => em.execute('select count(*) as n from moderation.decision where subject_id = ?', [c.forumPost]) }),
  // The forum's JSON API: 401 without a session, 403 for members not yet approved, 404 for what the caller may not read
  row('GET',  '/api/v1/forum/boards',                      [200,       200,      200,      200,      200,      200,      200]),
  row('GET',  '/api/v1/forum/boards/{board}/threads',      [404,       404,      200,      200,      200,      200,      404]),
  row('GET',  '/api/v1/forum/boards/{alumniBoard}/threads', [404,      404,      404,      200,      200,      200,      404]),
  row('GET',  '/api/v1/forum/boards/{publicBoard}/threads', [200,      200,      200,      200,      200,      200,      200]),
  row('GET',  '/api/v1/forum/threads/{thread}',            [404,       404,      200,      200,      200,      200,      404]),
  row('GET',  '/api/v1/forum/threads/{alumniThread}',      [404,       404,      404,      200,      200,      200,      404]),
  row('GET',  '/api/v1/forum/search',                      [200,       200,      200,      200,      200,      200,      200]),
  row('GET',  '/api/v1/forum/search?q=%E4%BA%BA',          [400,       400,      400,      400,      400,      400,      400]),
  row('GET',  '/api/v1/forum/search?q=%E8%AD%B0%E4%BA%8B', [200,       200,      200,      200,      200,      200,      200]),
  row('GET',  '/api/v1/forum/unread',                      [401,       403,      200,      200,      200,      200,      401]),
  row('GET',  '/api/v1/forum/new',                         [401,       403,      200,      200,      200,      200,      401]),
  row('POST', '/api/v1/forum/boards/{board}/threads',      [401,       403,      400,      400,      400,      400,      401], { json: () => ({ title: '', body: '' }) }),
  row('POST', '/api/v1/forum/boards/{alumniBoard}/threads', [401,      403,      404,      400,      400,      400,      401], { json: () => ({ title: '', body: '' }) }),
  row('POST', '/api/v1/forum/boards/{board}/read',         [401,       403,      204,      204,      204,      204,      401], { json: () => ({}) }),
  row('PUT',  '/api/v1/forum/boards/{board}/watch',        [401,       403,      204,      204,      204,      204,      401], { json: () => ({ level: 'normal' }) }),
  row('POST', '/api/v1/forum/threads/{thread}/posts',      [401,       403,      400,      400,      400,      400,      401], { json: () => ({ body: '' }) }),
  row('POST', '/api/v1/forum/threads/{alumniThread}/posts', [401,      403,      404,      400,      400,      400,      401], { json: () => ({ body: '' }) }),
  row('POST', '/api/v1/forum/threads/{thread}/read',       [401,       403,      204,      204,      204,      204,      401], { json: () => ({ number: 1 }) }),
  row('PUT',  '/api/v1/forum/threads/{thread}/watch',      [401,       403,      204,      204,      204,      204,      401], { json: () => ({ level: 'normal' }) }),
  row('PATCH', '/api/v1/forum/posts/{forumPost}',          [401,       403,      403,      403,      403,      403,      401],
    { fresh: ['forumPost'], json: () => ({ body: '書き換え' }), probe: (c, em) => em.execute('select body from networking.post where id = ?', [c.forumPost]) }),
  row('DELETE', '/api/v1/forum/posts/{forumPost}',         [401,       403,      403,      403,      204,      204,      401],
    { fresh: ['forumPost'], probe: (c, em) => em.execute('select deleted_at from networking.post where id = ?', [c.forumPost]) }),
  row('POST', '/api/v1/forum/posts/{forumPost}/reactions', [401,       403,      201,      201,      201,      201,      401],
    { fresh: ['forumPost'], json: () => ({ kind: '👍' }), probe: (c, em) => em.execute('select reactions from networking.post where id = ?', [c.forumPost]) }),
  row('DELETE', '/api/v1/forum/posts/{forumPost}/reactions/{reactionKind}', [401, 403, 200,      200,      200,      200,      401], { fresh: ['forumPost'] }),
  row('POST', '/api/v1/forum/posts/{forumPost}/reports',   [401,       403,      201,      201,      201,      201,      401],
    { fresh: ['forumPost'], json: () => ({ reason: 'スパムです' }), probe: (c, em) => em.execute('select count(*) as n from moderation.report where subject_id = ?', [c.forumPost]) }),  // Chat pages (Networking): the member's conversations, one conversation, group settings, one message. A conversation
  // the viewer may not read is a 404 (another members' DM, a secret group, an alumni channel for employees).
  row('GET',  '/chat',                                     ['login',   403,      200,      200,      200,      200,      'login']),
  row('GET',  '/chat/channels',                            ['login',   403,      200,      200,      200,      200,      'login']),
  row('GET',  '/chat/groups',                              ['login',   403,      200,      200,      200,      200,      'login']),
  row('GET',  '/chat/groups?q=%E5%90%8C%E6%9C%9F',         ['login',   403,      200,      200,      200,      200,      'login']),
  row('GET',  '/chat/groups/new',                          ['login',   403,      200,      200,      200,      200,      'login']),
  row('GET',  '/chat/settings',                            ['login',   403,      200,      200,      200,      200,      'login']),
  row('GET',  '/chat/images/{badToken}/{variant}',         ['login',   403,      404,      404,      404,      404,      'login']),
  row('GET',  '/chat/c/{chatChannel}',                     ['login',   403,      200,      200,      200,      200,      'login']),
  row('GET',  '/chat/c/{chatChannel}?before=2',            ['login',   403,      200,      200,      200,      200,      'login']),
  row('GET',  '/chat/c/{chatAlumniChannel}',               ['login',   403,      404,      200,      200,      200,      'login']),
  row('GET',  '/chat/c/{chatDm}',                          ['login',   403,      404,      404,      404,      404,      'login']),
  row('GET',  '/chat/c/{chatGroup}',                       ['login',   403,      200,      200,      200,      200,      'login']),
  row('GET',  '/chat/c/{chatSecretGroup}',                 ['login',   403,      404,      404,      404,      404,      'login']),
  row('GET',  '/chat/c/{badToken}',                        ['login',   403,      404,      404,      404,      404,      'login']),
  row('GET',  '/chat/c/{chatChannel}/search',              ['login',   403,      200,      200,      200,      200,      'login']),
  row('GET',  '/chat/c/{chatChannel}/search?q=%E9%9B%91%E8%AB%87', ['login', 403, 200,      200,      200,      200,      'login']),
  row('GET',  '/chat/c/{chatDm}/search?q=%E9%9B%91%E8%AB%87', ['login', 403,     404,      404,      404,      404,      'login']),
  row('GET',  '/chat/c/{chatGroup}/settings',              ['login',   403,      404,      404,      404,      404,      'login']),
  row('GET',  '/chat/c/{chatChannel}/settings',            ['login',   403,      404,      404,      404,      404,      'login']),
  row('GET',  '/chat/m/{chatMessage}/edit',               ['login',   403,      400,      400,      400,      400,      'login']),
  row('GET',  '/chat/m/{chatMessage}/edit?c={chatChannel}&seq=1', ['login', 403, 403,      403,      403,      403,      'login']),
  row('GET',  '/chat/m/{chatMessage}/report',             ['login',   403,      400,      400,      400,      400,      'login']),
  row('GET',  '/chat/m/{chatMessage}/report?c={chatChannel}&seq=1', ['login', 403, 200,    200,      200,      200,      'login']),
  row('GET',  '/chat/m/{chatDmMessage}/report?c={chatDm}&seq=1', ['login', 403,  404,      404,      404,      404,      'login']),
  row('POST', '/chat/groups/new',                          ['login',   403,      '→/chat/groups/new', '→/chat/groups/new', '→/chat/groups/new', '→/chat/groups/new', 'login'],
    { body: () => ({ name: '', description: '' }) }),
  row('POST', '/chat/dms',                                 ['login',   403,      '→/chat', '→/chat', '→/chat', '→/chat', 'login'],
    { body: (c) => ({ memberId: c.self ?? c.member }) }),
  row('POST', '/chat/block',                               ['login',   403,      '→/chat/settings', '→/chat/settings', '→/chat/settings', '→/chat/settings', 'login'],
    { body: (c) => ({ memberId: c.member, blocked: '1' }), probe: (c, em) => chatCount(em, 'select count(*) as n from networking.member_block where blocker_id = ?', c.self) }),
  row('POST', '/chat/settings',                            ['login',   403,      '→/chat/settings', '→/chat/settings', '→/chat/settings', '→/chat/settings', 'login'],
    { body: () => ({ dmPolicy: 'known' }), probe: (c, em) => chatCount(em, "select count(*) as n from networking.chat_setting where member_id = ? and dm_policy = 'known'", c.self) }),
  row('POST', '/chat/c/{chatChannel}/messages',            ['login',   403,      403,      403,      403,      403,      'login'],
    { body: (c) => ({ clientId: `m-${c.unique}`, body: '参加せずに書く' }), probe: (c, em) => chatLastSeq(em, c.chatChannel) }),
  row('POST', '/chat/c/{chatDm}/messages',                 ['login',   403,      404,      404,      404,      404,      'login'],
    { body: (c) => ({ clientId: `m-${c.unique}`, body: 'のぞき見' }), probe: (c, em) => chatLastSeq(em, c.chatDm) }),
  row('POST', '/chat/c/{chatChannel}/join',                ['login',   403,      '→/chat/c/{chatChannel}', '→/chat/c/{chatChannel}', '→/chat/c/{chatChannel}', '→/chat/c/{chatChannel}', 'login'],
    { probe: (c, em) => chatJoined(em, c.chatChannel, c.self) }),
  row('POST', '/chat/c/{chatAlumniChannel}/join',          ['login',   403,      404,      '→/chat/c/{chatAlumniChannel}', '→/chat/c/{chatAlumniChannel}', '→/chat/c/{chatAlumniChannel}', 'login'],
    { probe: (c, em) => chatJoined(em, c.chatAlumniChannel, c.self) }),
  // Leaving a channel one is not in changes nothing and says so as done.
  row('POST', '/chat/c/{chatChannel}/leave',               ['login',   403,      '→/chat/channels', '→/chat/channels', '→/chat/channels', '→/chat/channels', 'login']),
  row('POST', '/chat/c/{chatGroup}/request',               ['login',   403,      '→/chat/c/{chatGroup}', '→/chat/c/{chatGroup}', '→/chat/c/{chatGroup}', '→/chat/c/{chatGroup}', 'login'],
    { body: () => ({ message: '参加させてください' }), probe: (c, em) => chatCount(em, 'select count(*) as n from networking.conversation_request where conversation_id = ? and member_id = ?', c.chatGroup, c.self) }),
  row('POST', '/chat/c/{chatSecretGroup}/request',         ['login',   403,      404,      404,      404,      404,      'login'],
    { body: () => ({ message: '参加させてください' }), probe: (c, em) => chatCount(em, 'select count(*) as n from networking.conversation_request where conversation_id = ? and member_id = ?', c.chatSecretGroup, c.self) }),
  row('POST', '/chat/c/{chatGroup}/invitation',            ['login',   403,      404,      404,      404,      404,      'login'],
    { body: () => ({ accept: '1' }), probe: (c, em) => chatJoined(em, c.chatGroup, c.self) }),
  row('POST', '/chat/c/{chatGroup}/settings',              ['login',   403,      403,      403,      403,      403,      'login'],
    { body: () => ({ name: '乗っ取り', description: '' }), probe: (c, em) => chatName(em, c.chatGroup) }),
  row('POST', '/chat/c/{chatGroup}/invite',                ['login',   403,      403,      403,      403,      403,      'login'],
    { body: (c) => ({ memberId: c.chatRequester }), probe: (c, em) => chatJoined(em, c.chatGroup, c.chatRequester) }),
  row('POST', '/chat/c/{chatGroup}/requests/{chatRequester}', ['login', 403,     403,      403,      403,      403,      'login'],
    { body: () => ({ approve: '1' }), probe: (c, em) => chatJoined(em, c.chatGroup, c.chatRequester) }),
  row('POST', '/chat/c/{chatGroup}/remove',                ['login',   403,      403,      403,      403,      403,      'login'],
    { body: (c) => ({ memberId: c.chatGroupMember }), probe: (c, em) => chatJoined(em, c.chatGroup, c.chatGroupMember) }),
  row('POST', '/chat/c/{chatGroup}/owner',                 ['login',   403,      403,      403,      403,      403,      'login'],
    { body: (c) => ({ memberId: c.chatGroupMember }), probe: (c, em) => chatCount(em, "select count(*) as n from networking.conversation_member where conversation_id = ? and member_id = ? and role = 'owner'", c.chatGroup, c.member) }),
  row('POST', '/chat/m/{chatMessage}/edit',                ['login',   403,      403,      403,      403,      403,      'login'],
    { body: () => ({ body: '書き換え' }), probe: (c, em) => chatMessageRow(em, c.chatMessage) }),
  row('POST', '/chat/m/{chatMessage}/delete',              ['login',   403,      403,      403,      403,      403,      'login'],
    { probe: (c, em) => chatMessageRow(em, c.chatMessage) }),
  row('POST', '/chat/m/{chatFreshMessage}/hide',           ['login',   403,      403,      403,      '→/chat/c/{chatChannel}#m{chatFreshSeq}', '→/chat/c/{chatChannel}#m{chatFreshSeq}', 'login'],
    { fresh: ['chatMessage'], body: () => ({ hidden: '1' }), probe: (c, em) => chatMessageRow(em, c.chatFreshMessage) }),
  // Without the page's link (c, seq) the form goes back to where it was sent, with a message.
  row('POST', '/chat/m/{chatFreshMessage}/report',         ['login',   403,      '→/chat/m/{chatFreshMessage}/report', '→/chat/m/{chatFreshMessage}/report', '→/chat/m/{chatFreshMessage}/report', '→/chat/m/{chatFreshMessage}/report', 'login'],
    { fresh: ['chatMessage'], body: () => ({ reason: '確認してください' }) }),
  row('POST', '/chat/m/{chatFreshMessage}/report?c={chatChannel}&seq={chatFreshSeq}', ['login', 403, '→/chat/c/{chatChannel}?before={chatFreshBefore}#m{chatFreshSeq}', '→/chat/c/{chatChannel}?before={chatFreshBefore}#m{chatFreshSeq}', '→/chat/c/{chatChannel}?before={chatFreshBefore}#m{chatFreshSeq}', '→/chat/c/{chatChannel}?before={chatFreshBefore}#m{chatFreshSeq}', 'login'],
    { fresh: ['chatMessage'], body: () => ({ reason: '確認してください' }), probe: (c, em) => chatCount(em, 'select count(*) as n from moderation.report where subject_id = ?', c.chatFreshMessage) }),
  // Chat channels in the HR console: operators
  row('GET',  '/admin/chat',                               ['login',   403,      403,      403,      200,      200,      'login']),
  row('GET',  '/admin/chat/new',                           ['login',   403,      403,      403,      200,      200,      'login']),
  row('GET',  '/admin/chat/{chatChannel}/edit',            ['login',   403,      403,      403,      200,      200,      'login']),
  row('GET',  '/admin/chat/{badToken}/edit',               ['login',   403,      403,      403,      404,      404,      'login']),
  row('POST', '/admin/chat/new',                           ['login',   403,      403,      403,      '→/admin/chat/new', '→/admin/chat/new', 'login'],
    { body: () => ({ nameJa: '', audience: 'members' }) }),
  row('POST', '/admin/chat/{chatChannel}/edit',            ['login',   403,      403,      403,      '→/admin/chat/{chatChannel}/edit', '→/admin/chat/{chatChannel}/edit', 'login'],
    { body: () => ({ nameJa: '', audience: 'members' }) }),
  row('POST', '/admin/chat/{chatChannel}/archive',         ['login',   403,      403,      403,      '→/admin/chat', '→/admin/chat', 'login'],
    { body: () => ({ archived: '0' }) }),
  // Chat's JSON API: 401 without a session, 403 for members not yet approved (and for what the caller may not do),
  // 404 for a conversation or message the caller may not know of.
  row('GET',  '/api/v1/chat/conversations',                [401,       403,      200,      200,      200,      200,      401]),
  row('GET',  '/api/v1/chat/unread',                       [401,       403,      200,      200,      200,      200,      401]),
  row('GET',  '/api/v1/chat/conversations/{chatChannel}',  [401,       403,      200,      200,      200,      200,      401]),
  row('GET',  '/api/v1/chat/conversations/{chatAlumniChannel}', [401,  403,      404,      200,      200,      200,      401]),
  row('GET',  '/api/v1/chat/conversations/{chatDm}',       [401,       403,      404,      404,      404,      404,      401]),
  row('GET',  '/api/v1/chat/conversations/{chatGroup}',    [401,       403,      200,      200,      200,      200,      401]),
  row('GET',  '/api/v1/chat/conversations/{chatSecretGroup}', [401,    403,      404,      404,      404,      404,      401]),
  row('GET',  '/api/v1/chat/conversations/{badToken}',     [401,       403,      400,      400,      400,      400,      401]),
  row('GET',  '/api/v1/chat/conversations/{chatChannel}/messages', [401, 403,    200,      200,      200,      200,      401]),
  row('GET',  '/api/v1/chat/conversations/{chatChannel}/messages?after=0', [401, 403, 200,  200,      200,      200,      401]),
  row('GET',  '/api/v1/chat/conversations/{chatChannel}/messages?before=1&after=0', [401, 403, 400, 400, 400,    400,      401]),
  row('GET',  '/api/v1/chat/conversations/{chatAlumniChannel}/messages', [401, 403, 404,    200,      200,      200,      401]),
  row('GET',  '/api/v1/chat/conversations/{chatDm}/messages', [401,    403,      404,      404,      404,      404,      401]),
  row('GET',  '/api/v1/chat/conversations/{chatGroup}/messages', [401, 403,      404,      404,      404,      404,      401]),
  row('GET',  '/api/v1/chat/conversations/{chatChannel}/search', [401, 403,      400,      400,      400,      400,      401]),
  row('GET',  '/api/v1/chat/conversations/{chatChannel}/search?q=%E9%9B%91%E8%AB%87', [401, 403, 200, 200, 200,    200,      401]),
  row('GET',  '/api/v1/chat/conversations/{chatDm}/search?q=%E9%9B%91%E8%AB%87', [401, 403, 404, 404,  404,      404,      401]),
  row('GET',  '/api/v1/chat/settings',                     [401,       403,      200,      200,      200,      200,      401]),
  row('GET',  '/api/v1/chat/channels',                     [401,       403,      200,      200,      200,      200,      401]),
  row('GET',  '/api/v1/chat/groups',                       [401,       403,      200,      200,      200,      200,      401]),
  row('POST', '/api/v1/chat/dms',                          [401,       403,      201,      201,      201,      201,      401],
    { json: (c) => ({ memberId: c.member }), probe: (c, em) => chatCount(em, "select count(*) as n from networking.conversation_member m join networking.conversation x on x.id = m.conversation_id where x.kind = 'dm' and m.member_id = ?", c.self) }),
  row('POST', '/api/v1/chat/conversations/{chatChannel}/messages', [401, 403,    403,      403,      403,      403,      401],
    { json: (c) => ({ clientId: `m-${c.unique}`, body: '参加せずに書く' }), probe: (c, em) => chatLastSeq(em, c.chatChannel) }),
  row('POST', '/api/v1/chat/conversations/{chatDm}/messages', [401,    403,      404,      404,      404,      404,      401],
    { json: (c) => ({ clientId: `m-${c.unique}`, body: 'のぞき見' }), probe: (c, em) => chatLastSeq(em, c.chatDm) }),
  row('POST', '/api/v1/chat/conversations/{chatGroup}/messages', [401, 403,      404,      404,      404,      404,      401],
    { json: (c) => ({ clientId: `m-${c.unique}`, body: '入っていない' }), probe: (c, em) => chatLastSeq(em, c.chatGroup) }),
  row('POST', '/api/v1/chat/conversations/{chatChannel}/read', [401,   403,      200,      200,      200,      200,      401], { json: () => ({ seq: 1 }) }),
  row('POST', '/api/v1/chat/conversations/{chatDm}/read',  [401,       403,      404,      404,      404,      404,      401], { json: () => ({ seq: 1 }) }),
  row('PUT',  '/api/v1/chat/blocks/{member}',              [401,       403,      204,      204,      204,      204,      401],
    { probe: (c, em) => chatCount(em, 'select count(*) as n from networking.member_block where blocker_id = ?', c.self) }),
  row('DELETE', '/api/v1/chat/blocks/{member}',            [401,       403,      204,      204,      204,      204,      401]),
  row('PUT',  '/api/v1/chat/settings',                     [401,       403,      204,      204,      204,      204,      401],
    { json: () => ({ dmPolicy: 'known' }), probe: (c, em) => chatCount(em, "select count(*) as n from networking.chat_setting where member_id = ? and dm_policy = 'known'", c.self) }),
  row('POST', '/api/v1/chat/channels/{chatChannel}/join',  [401,       403,      204,      204,      204,      204,      401],
    { probe: (c, em) => chatJoined(em, c.chatChannel, c.self) }),
  row('POST', '/api/v1/chat/channels/{chatAlumniChannel}/join', [401,  403,      404,      204,      204,      204,      401],
    { probe: (c, em) => chatJoined(em, c.chatAlumniChannel, c.self) }),
  row('POST', '/api/v1/chat/channels/{chatChannel}/leave', [401,       403,      204,      204,      204,      204,      401]),
  row('POST', '/api/v1/chat/channels',                     [401,       403,      403,      403,      201,      201,      401],
    { json: (c) => ({ nameJa: `チャンネル ${c.unique}`, audience: 'members' }), probe: (c, em) => chatCount(em, 'select count(*) as n from networking.conversation where name_ja = ?', `チャンネル ${c.unique}`) }),
  row('PATCH', '/api/v1/chat/channels/{chatChannel}',      [401,       403,      403,      403,      200,      200,      401],
    { json: () => ({ nameJa: '雑談', nameEn: 'General chat', descriptionJa: '近況報告やちょっとした話題など、気軽にどうぞ。', descriptionEn: 'Small talk and news.', audience: 'members' }) }),
  row('PUT',  '/api/v1/chat/channels/{chatChannel}/archived', [401,    403,      403,      403,      204,      204,      401], { json: () => ({ archived: false }) }),
  row('POST', '/api/v1/chat/groups',                       [401,       403,      201,      201,      201,      201,      401],
    { json: (c) => ({ name: `グループ ${c.unique}` }), probe: (c, em) => chatCount(em, 'select count(*) as n from networking.conversation where name_ja = ?', `グループ ${c.unique}`) }),
  row('PATCH', '/api/v1/chat/groups/{chatGroup}',          [401,       403,      403,      403,      403,      403,      401],
    { json: () => ({ name: '乗っ取り' }), probe: (c, em) => chatName(em, c.chatGroup) }),
  row('POST', '/api/v1/chat/groups/{chatGroup}/invitations', [401,     403,      403,      403,      403,      403,      401],
    { json: (c) => ({ memberId: c.chatRequester }), probe: (c, em) => chatJoined(em, c.chatGroup, c.chatRequester) }),
  row('POST', '/api/v1/chat/groups/{chatGroup}/invitation/accept', [401, 403,    404,      404,      404,      404,      401],
    { probe: (c, em) => chatJoined(em, c.chatGroup, c.self) }),
  row('POST', '/api/v1/chat/groups/{chatGroup}/invitation/decline', [401, 403,   404,      404,      404,      404,      401]),
  row('POST', '/api/v1/chat/groups/{chatGroup}/join-requests', [401,   403,      201,      201,      201,      201,      401],
    { json: () => ({ message: '参加させてください' }), probe: (c, em) => chatCount(em, 'select count(*) as n from networking.conversation_request where conversation_id = ? and member_id = ?', c.chatGroup, c.self) }),
  row('POST', '/api/v1/chat/groups/{chatSecretGroup}/join-requests', [401, 403,  404,      404,      404,      404,      401],
    { json: () => ({}), probe: (c, em) => chatCount(em, 'select count(*) as n from networking.conversation_request where conversation_id = ? and member_id = ?', c.chatSecretGroup, c.self) }),
  row('POST', '/api/v1/chat/groups/{chatGroup}/join-requests/{chatRequester}/approve', [401, 403, 403, 403, 403,  403,      401],
    { probe: (c, em) => chatJoined(em, c.chatGroup, c.chatRequester) }),
  row('POST', '/api/v1/chat/groups/{chatGroup}/join-requests/{chatRequester}/decline', [401, 403, 403, 403, 403,  403,      401],
    { probe: (c, em) => chatCount(em, "select count(*) as n from networking.conversation_request where conversation_id = ? and member_id = ? and status = 'pending'", c.chatGroup, c.chatRequester) }),
  row('DELETE', '/api/v1/chat/groups/{chatGroup}/members/{chatGroupMember}', [401, 403, 403, 403,    403,      403,      401],
    { probe: (c, em) => chatJoined(em, c.chatGroup, c.chatGroupMember) }),
  row('DELETE', '/api/v1/chat/groups/{chatSecretGroup}/members/{member}', [401, 403, 404,  404,      404,      404,      401],
    { probe: (c, em) => chatJoined(em, c.chatSecretGroup, c.member) }),
  row('PUT',  '/api/v1/chat/groups/{chatGroup}/owner',     [401,       403,      403,      403,      403,      403,      401],
    { json: (c) => ({ memberId: c.chatGroupMember }), probe: (c, em) => chatCount(em, "select count(*) as n from networking.conversation_member where conversation_id = ? and member_id = ? and role = 'owner'", c.chatGroup, c.member) }),
  row('PATCH', '/api/v1/chat/messages/{chatMessage}',      [401,       403,      403,      403,      403,      403,      401],
    { json: () => ({ body: '書き換え' }), probe: (c, em) => chatMessageRow(em, c.chatMessage) }),
  row('PATCH', '/api/v1/chat/messages/{chatDmMessage}',    [401,       403,      404,      404,      404,      404,      401],
    { json: () => ({ body: '書き換え' }), probe: (c, em) => chatMessageRow(em, c.chatDmMessage) }),
  row('DELETE', '/api/v1/chat/messages/{chatMessage}',     [401,       403,      403,      403,      403,      403,      401],
    { probe: (c, em) => chatMessageRow(em, c.chatMessage) }),
  row('PUT',  '/api/v1/chat/messages/{chatFreshMessage}/hidden', [401, 403,      403,      403,      200,      200,      401],
    { fresh: ['chatMessage'], json: () => ({ hidden: true }), probe: (c, em) => chatMessageRow(em, c.chatFreshMessage) }),
  row('POST', '/api/v1/chat/messages/{chatFreshMessage}/reports', [401, 403,     201,      201,      201,      201,      401],
    { fresh: ['chatMessage'], json: () => ({ reason: 'スパムです' }), probe: (c, em) => chatCount(em, 'select count(*) as n from moderation.report where subject_id = ?', c.chatFreshMessage) }),
  row('POST', '/api/v1/chat/messages/{chatDmMessage}/reports', [401,   403,      404,      404,      404,      404,      401],
    { json: () => ({ reason: 'スパムです' }), probe: (c, em) => chatCount(em, 'select count(*) as n from moderation.report where subject_id = ?', c.chatDmMessage) }),
  // Content (コンテンツ): the list, the feed and the sitemap are open; an item is readable as its visibility says
  // (a public one by visitors too), a draft or submitted item by its author and operators only; writing needs an
  // approved member, publishing, returning, declining and featuring an operator. {contentDraft} and
  // {contentSubmitted} are the target member's, {contentPublished} a members' item of theirs, {contentComment} their
  // comment on it; {contentEmployees} is for employees (operators read everything).
  row('GET',  '/content',                                  [200,       200,      200,      200,      200,      200,      200]),
  row('GET',  '/content?type=news&tag=%E7%A4%BE%E5%86%85&q=%E7%A7%BB%E8%BB%A2&from=2026-01-01&to=2099-12-31&page=1', [200, 200, 200, 200, 200, 200, 200]),
  row('GET',  '/content?type=blog',                        [400,       400,      400,      400,      400,      400,      400]),
  row('GET',  '/content/feed.atom',                        [200,       200,      200,      200,      200,      200,      200]),
  row('GET',  '/sitemap.xml',                              [200,       200,      200,      200,      200,      200,      200]),
  row('GET',  '/content/new',                              ['login',   403,      200,      200,      200,      200,      'login']),
  row('GET',  '/content/mine',                             ['login',   403,      200,      200,      200,      200,      'login']),
  row('GET',  '/content/{contentPublic}',                  [200,       200,      200,      200,      200,      200,      200]),
  row('GET',  '/content/{contentMembers}',                 [404,       404,      200,      200,      200,      200,      404]),
  row('GET',  '/content/{contentEmployees}',               [404,       404,      200,      404,      200,      200,      404]),
  row('GET',  '/content/{contentDraft}',                   [404,       404,      404,      404,      200,      200,      404]),
  row('GET',  '/content/{badToken}',                       [404,       404,      404,      404,      404,      404,      404]),
  row('GET',  '/content/{contentDraft}/edit',              ['login',   403,      404,      404,      200,      200,      'login']),
  row('GET',  '/content/{contentMembers}/edit',            ['login',   403,      403,      403,      200,      200,      'login']),
  row('GET',  '/content/{contentDraft}/revisions',         ['login',   403,      404,      404,      200,      200,      'login']),
  row('GET',  '/content/images/{badToken}/{variant}',      [404,       404,      404,      404,      404,      404,      404]),
  row('GET',  '/admin/content',                            ['login',   403,      403,      403,      200,      200,      'login']),
  row('POST', '/content',                                  ['login',   403,      '→/content/new', '→/content/new', '→/content/new', '→/content/new', 'login'],
    { body: () => ({ type: 'column', title: '', summary: '', body: '', visibility: 'members', language: 'ja' }) }),
  row('POST', '/content/{contentDraft}',                   ['login',   403,      404,      404,      '→/content/{contentDraft}/edit', '→/content/{contentDraft}/edit', 'login'],
    { fresh: ['contentDraft'], body: (c) => ({ title: `変更-${c.unique}` }), probe: (c, em) => contentRow(em, c.contentDraft) }),
  row('POST', '/content/{contentDraft}/autosave',          ['login',   403,      404,      404,      200,      200,      'login'],
    { fresh: ['contentDraft'], body: (c) => ({ title: `自動保存-${c.unique}` }), probe: (c, em) => contentRow(em, c.contentDraft) }),
  row('POST', '/content/{contentDraft}/preview',           ['login',   403,      404,      404,      '→/content/{contentDraft}/edit#preview', '→/content/{contentDraft}/edit#preview', 'login'],
    { body: () => ({ body: '**下書き**の確認', language: 'ja' }) }),
  row('POST', '/content/{contentDraft}/images',            ['login',   403,      404,      404,      '→/content/{contentDraft}/edit#body-images', '→/content/{contentDraft}/edit#body-images', 'login'],
    { fresh: ['contentDraft'], multipart: true, upload: { field: 'file', filename: 'picture.png', contentType: 'image/png', content: PNG } }),
  row('POST', '/content/{contentSubmitted}/submit',        ['login',   403,      404,      404,      403,      403,      'login'],
    { fresh: ['contentSubmitted'], probe: (c, em) => contentRow(em, c.contentSubmitted) }),
  row('POST', '/content/{contentSubmitted}/withdraw',      ['login',   403,      404,      404,      403,      403,      'login'],
    { fresh: ['contentSubmitted'] }),
  row('POST', '/content/{contentSubmitted}/publish',       ['login',   403,      403,      403,      '→/content/{contentSubmitted}', '→/content/{contentSubmitted}', 'login'],
    { fresh: ['contentSubmitted'], probe: (c, em) => contentRow(em, c.contentSubmitted) }),
  row('POST', '/content/{contentSubmitted}/return',        ['login',   403,      403,      403,      '→/content/{contentSubmitted}', '→/content/{contentSubmitted}', 'login'],
    { fresh: ['contentSubmitted'], body: () => ({ comment: '冒頭を短くしてください。' }), probe: (c, em) => contentRow(em, c.contentSubmitted) }),
  row('POST', '/content/{contentSubmitted}/decline',       ['login',   403,      403,      403,      '→/content/{contentSubmitted}', '→/content/{contentSubmitted}', 'login'],
    { fresh: ['contentSubmitted'], body: () => ({ comment: '今回は見送ります。' }), probe: (c, em) => contentRow(em, c.contentSubmitted) }),
  row('POST', '/content/{contentPublished}/unpublish',     ['login',   403,      403,      403,      '→/content/{contentPublished}', '→/content/{contentPublished}', 'login'],
    { fresh: ['contentPublished'], probe: (c, em) => contentRow(em, c.contentPublished) }),
  row('POST', '/content/{contentDraft}/discard',           ['login',   403,      404,      404,      '→/admin/content', '→/admin/content', 'login'],
    { fresh: ['contentDraft'], probe: (c, em) => contentRow(em, c.contentDraft) }),
  row('POST', '/content/{contentPublished}/feature',       ['login',   403,      403,      403,      '→/content/{contentPublished}', '→/content/{contentPublished}', 'login'],
    { fresh: ['contentPublished'], body: () => ({ featured: '1' }), probe: (c, em) => contentRow(em, c.contentPublished) }),
  row('POST', '/content/{contentPublished}/like',          ['login',   403,      '→/content/{contentPublished}#like', '→/content/{contentPublished}#like', '→/content/{contentPublished}#like', '→/content/{contentPublished}#like', 'login'],
    { fresh: ['contentPublished'], body: () => ({ on: '1' }), probe: (c, em) => contentLikes(em, c.contentPublished) }),
  row('POST', '/content/{contentPublished}/comments',      ['login',   403,      '→/content/{contentPublished}', '→/content/{contentPublished}', '→/content/{contentPublished}', '→/content/{contentPublished}', 'login'],
    { body: () => ({ body: '' }) }),
  row('POST', '/content/{contentEmployees}/comments',      ['login',   403,      '→/content/{contentEmployees}', 404, '→/content/{contentEmployees}', '→/content/{contentEmployees}', 'login'],
    { body: () => ({ body: '' }) }),
  row('GET',  '/content/comments/{contentComment}',        [404,       404,      '→/content/{contentPublished}#c-{contentComment}', '→/content/{contentPublished}#c-{contentComment}', '→/content/{contentPublished}#c-{contentComment}', '→/content/{contentPublished}#c-{contentComment}', 404]),
  row('GET',  '/content/comments/{badToken}',              [404,       404,      404,      404,      404,      404,      404]),
  row('GET',  '/content/comments/{contentComment}/report', ['login',   403,      200,      200,      200,      200,      'login']),
  row('POST', '/content/comments/{contentComment}/delete', ['login',   403,      403,      403,      '→/content/{contentPublished}#comments', '→/content/{contentPublished}#comments', 'login'],
    { fresh: ['contentPublished', 'contentComment'], body: (c) => ({ contentId: c.contentPublished }), probe: (c, em) => em.execute('select deleted_at from content.comment where id = ?', [c.contentComment]) }),
  row('POST', '/content/comments/{contentComment}/report', ['login',   403,      '→/content/{contentPublished}#c-{contentComment}', '→/content/{contentPublished}#c-{contentComment}', '→/content/{contentPublished}#c-{contentComment}', '→/content/{contentPublished}#c-{contentComment}', 'login'],
    { fresh: ['contentPublished', 'contentComment'], body: (c) => ({ contentId: c.contentPublished, reason: '確認してください' }),
      probe: (c, em) => em.execute('select count(*) as n from moderation.report where subject_id = ?', [c.contentComment]) }),
  // Content's JSON API: 401 without a session, 403 for members not yet approved and for operators' actions, 404 for
  // what the caller may not see (and for an id that is not one), 409 for what the item's state does not allow.
  row('GET',  '/api/v1/content',                           [200,       200,      200,      200,      200,      200,      200]),
  row('GET',  '/api/v1/content?type=news&tag=%E7%A4%BE%E5%86%85&q=%E7%A7%BB%E8%BB%A2', [200, 200, 200, 200,  200,      200,      200]),
  row('GET',  '/api/v1/content?type=blog',                 [400,       400,      400,      400,      400,      400,      400]),
  row('GET',  '/api/v1/content/review',                    [401,       403,      403,      403,      200,      200,      401]),
  row('GET',  '/api/v1/content/{contentPublic}',           [200,       200,      200,      200,      200,      200,      200]),
  row('GET',  '/api/v1/content/{contentMembers}',          [404,       404,      200,      200,      200,      200,      404]),
  row('GET',  '/api/v1/content/{contentEmployees}',        [404,       404,      200,      404,      200,      200,      404]),
  row('GET',  '/api/v1/content/{contentDraft}',            [404,       404,      404,      404,      200,      200,      404]),
  row('GET',  '/api/v1/content/{badToken}',                [404,       404,      404,      404,      404,      404,      404]),
  row('GET',  '/api/v1/content/{contentMembers}/comments', [404,       404,      200,      200,      200,      200,      404]),
  row('GET',  '/api/v1/content/{contentEmployees}/comments', [404,     404,      200,      404,      200,      200,      404]),
  row('GET',  '/api/v1/content/{contentDraft}/revisions',  [401,       403,      404,      404,      200,      200,      401]),
  row('POST', '/api/v1/content',                           [401,       403,      201,      201,      201,      201,      401],
    { json: (c) => ({ type: 'column', title: `下書き ${c.unique}`, body: '本文です。' }), probe: (c, em) => contentCount(em, 'select count(*) as n from content.item where author_id = ?', c.self) }),
  row('PATCH', '/api/v1/content/{contentDraft}',           [401,       403,      404,      404,      200,      200,      401],
    { fresh: ['contentDraft'], json: (c) => ({ title: `変更 ${c.unique}` }), probe: (c, em) => contentRow(em, c.contentDraft) }),
  row('PATCH', '/api/v1/content/{contentPublished}',       [401,       403,      403,      403,      200,      200,      401],
    { fresh: ['contentPublished'], json: (c) => ({ title: `変更 ${c.unique}` }), probe: (c, em) => contentRow(em, c.contentPublished) }),
  row('POST', '/api/v1/content/{contentSubmitted}/submit', [401,       403,      404,      404,      403,      403,      401],
    { fresh: ['contentSubmitted'], probe: (c, em) => contentRow(em, c.contentSubmitted) }),
  row('POST', '/api/v1/content/{contentSubmitted}/withdraw', [401,     403,      404,      404,      403,      403,      401],
    { fresh: ['contentSubmitted'], probe: (c, em) => contentRow(em, c.contentSubmitted) }),
  row('POST', '/api/v1/content/{contentSubmitted}/publish', [401,      403,      403,      403,      200,      200,      401],
    { fresh: ['contentSubmitted'], probe: (c, em) => contentRow(em, c.contentSubmitted) }),
  row('POST', '/api/v1/content/{contentSubmitted}/publish', [401,      403,      403,      403,      400,      400,      401],
    { fresh: ['contentSubmitted'], json: () => ({ at: '2020-01-01T09:00:00+09:00' }), probe: (c, em) => contentRow(em, c.contentSubmitted) }),
  row('POST', '/api/v1/content/{contentSubmitted}/return', [401,       403,      403,      403,      200,      200,      401],
    { fresh: ['contentSubmitted'], json: () => ({ comment: '冒頭を短くしてください。' }), probe: (c, em) => contentRow(em, c.contentSubmitted) }),
  row('POST', '/api/v1/content/{contentSubmitted}/decline', [401,      403,      403,      403,      200,      200,      401],
    { fresh: ['contentSubmitted'], json: () => ({ comment: '今回は見送ります。' }), probe: (c, em) => contentRow(em, c.contentSubmitted) }),
  row('POST', '/api/v1/content/{contentPublished}/unpublish', [401,    403,      403,      403,      200,      200,      401],
    { fresh: ['contentPublished'], probe: (c, em) => contentRow(em, c.contentPublished) }),
  row('POST', '/api/v1/content/{contentPublished}/likes',  [401,       403,      201,      201,      201,      201,      401],
    { fresh: ['contentPublished'], probe: (c, em) => contentLikes(em, c.contentPublished) }),
  row('POST', '/api/v1/content/{contentEmployees}/likes',  [401,       403,      201,      404,      201,      201,      401]),
  row('DELETE', '/api/v1/content/{contentPublished}/likes', [401,      403,      200,      200,      200,      200,      401]),
  row('POST', '/api/v1/content/{contentPublished}/comments', [401,     403,      201,      201,      201,      201,      401],
    { fresh: ['contentPublished'], json: () => ({ body: '確認のコメントです。' }), probe: (c, em) => contentCount(em, 'select count(*) as n from content.comment where item_id = ?', c.contentPublished) }),
  row('POST', '/api/v1/content/{contentEmployees}/comments', [401,     403,      400,      404,      400,      400,      401],
    { json: () => ({ body: '' }) }),
  row('POST', '/api/v1/content/{contentDraft}/comments',   [401,       403,      404,      404,      409,      409,      401],
    { json: () => ({ body: '下書きへのコメント' }), probe: (c, em) => contentCount(em, 'select count(*) as n from content.comment where item_id = ?', c.contentDraft) }),
];

const VIEWER_SPECS: Record<Exclude<ViewerName, 'anonymous'>, MemberSpec> = {
  pending: { status: 'pending' },
  employee: { status: 'employee' },
  alumni: { status: 'alumni' },
  operator: { status: 'alumni', role: 'operator' },
  admin: { status: 'employee', role: 'admin' },
  suspended: { status: 'alumni' },
};

const fill = (template: string, c: Ctx) =>
  template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = (c as unknown as Record<string, unknown>)[key];
    if (typeof value !== 'string') throw new Error(`No value for {${key}} in ${template}`);
    return value;
  });

/** The name of the password input of the form posting to /account/email. */
function emailFormPasswordField(html: string): string {
  const form = /<form[^>]*action="\/account\/email"[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1];
  const name = form && /<input[^>]*name="([^"]+)"[^>]*type="password"/.exec(form)?.[1];
  if (!name) throw new Error('No e-mail change form with a password field on /account');
  return name;
}

/** A write that went through: a redirect onwards, 201, 204 — or 200 from an API write that answers what it changed. */
const isAccepted = (o: Outcome, method: Row['method']) => (typeof o === 'string' && o.startsWith('→')) || o === 201 || o === 204 || (o === 200 && method !== 'GET');

describe('authorization matrix: every route × every viewer', () => {
  let app: NestExpressApplication;
  let em: EntityManager;
  let ipSeq = 0;
  let admin: Agent;
  const shared = {} as { ctx: Ctx; sessions: Record<ViewerName, { agent: Agent; member?: BuiltMember }> };
  const previousTrustProxy = process.env.TRUST_PROXY;

  /** Each browser comes from its own address (behind the proxy), so per-address rate limits stay out of the way. */
  const agent = (): Agent => {
    ipSeq += 1;
    return browser(app).set('X-Forwarded-For', `10.11.${(ipSeq >> 8) & 255}.${ipSeq & 255}`);
  };

  const build = (spec: MemberSpec) => buildMember(em.fork(), spec);
  /** Runs a command as a controller would (for the forum's fixtures). */
  const runCommand = <R>(command: Command<R>): Promise<R> => RequestContext.create(em.fork(), () => app.get(CommandBus).execute(command));
  let forumAuthor: Viewer;
  let chatTarget: { author: Viewer; channel: string };
  let contentTarget: { author: Viewer; operator: Viewer };

  async function suspendThroughAdmin(memberId: string): Promise<void> {
    const res = await submit(admin, `/admin/members/${memberId}/suspend`, { reason: '確認のため' }, `/admin/members/${memberId}`);
    expect([res.status, res.headers.location]).toEqual([303, `/admin/members/${memberId}`]);
    expect((await em.fork().findOneOrFail(Member, { id: memberId })).status).toBe('suspended');
  }

  /** A browser session of the given kind of viewer. The suspended viewer signed in before an admin suspended them. */
  async function sessionOf(viewer: ViewerName): Promise<{ agent: Agent; member?: BuiltMember }> {
    const a = agent();
    if (viewer === 'anonymous') {
      await a.get('/login').expect(200);
      return { agent: a };
    }
    const member = await build(VIEWER_SPECS[viewer]);
    await signIn(a, member.email, member.password);
    if (viewer === 'suspended') await suspendThroughAdmin(member.member.id);
    return { agent: a, member };
  }

  /** An item of the target member's (or `author`'s) in the given state, through Content's commands. */
  async function contentItem(state: 'draft' | 'submitted' | 'published', over: Partial<ContentInput> = {}, author = contentTarget.author): Promise<string> {
    const input: ContentInput = { type: 'column', title: '確認用の記事', summary: '確認用の要約です。', body: '確認用の本文です。', tags: [], visibility: 'members', language: 'ja', ...over };
    const { contentId } = await runCommand(new CreateContentCommand(author, input));
    if (state !== 'draft') await runCommand(new SubmitContentCommand(author, contentId));
    if (state === 'published') await runCommand(new PublishContentCommand(contentTarget.operator, contentId));
    return contentId;
  }

  async function freshTarget(kind: TargetKind): Promise<string> {
    if (kind === 'applicant') return (await build({ status: 'pending' })).member.id;
    if (kind === 'member') return (await build({ status: 'alumni' })).member.id;
    if (kind === 'adminEvent') return (await buildEvent(em.fork(), { state: 'draft', title: '下書きのイベント' })).id;
    return (await build({ status: 'suspended' })).member.id;
  }

  async function send(a: Agent, r: Row, path: string, c: Ctx) {
    if (r.method === 'GET') return a.get(path);
    const token = await csrfToken(a, '/login');
    if (path.startsWith('/api/')) {
      const method = r.method.toLowerCase() as 'post' | 'put' | 'patch' | 'delete';
      return a[method](path).set('X-CSRF-Token', token).send(r.json?.(c) ?? {});
    }
    if (r.multipart) {
      const file = r.upload ?? { field: 'photo', filename: 'me.png', contentType: 'image/png', content: PNG };
      return a.post(`${path}?_csrf=${encodeURIComponent(token)}`).attach(file.field, file.content, { filename: file.filename, contentType: file.contentType });
    }
    return a.post(path).type('form').send({ _csrf: token, ...(r.body?.(c) ?? {}) });
  }

  beforeAll(async () => {
    process.env.TRUST_PROXY = 'true';
    app = await bootWebApp();
    em = app.get(EntityManager);
    await resetDatabase(em);

    const adminMember = await build({ status: 'employee', role: 'admin', familyName: '管理', givenName: '一郎' });
    admin = agent();
    await signIn(admin, adminMember.email, adminMember.password);

    // An approved member with a photo, a pending application, an open invitation and a stored mail.
    const target = await build({ status: 'alumni', familyName: '対象', givenName: '花子' });
    const targetAgent = agent();
    await signIn(targetAgent, target.email, target.password);
    const token = await csrfToken(targetAgent, '/profile/edit');
    const upload = await targetAgent.post(`/profile/photo?_csrf=${encodeURIComponent(token)}`).attach('photo', PNG, { filename: 'me.png', contentType: 'image/png' });
    expect(upload.status).toBe(303);
    const applicant = await build({ status: 'pending', familyName: '申請', givenName: '次郎' });
    const suspendedMember = await build({ status: 'suspended', familyName: '停止', givenName: '三郎' });
    const invited = await submit(admin, '/admin/invitations', { email: 'invited-reader@example.jp', status: 'alumni', locale: 'ja' }, '/admin/invitations');
    expect(invited.status).toBe(303);
    const mail = await em.fork().findOneOrFail(MailMessage, { to: 'invited-reader@example.jp' });
    const invitation = /\/invitations\/([\w-]+)/.exec(mail.text)?.[1];
    if (!invitation) throw new Error('No invitation link in the mail');

    const emailFormPassword = emailFormPasswordField((await targetAgent.get('/account').expect(200)).text);

    const rosterUpload = async () => {
      const res = await admin.post(`/admin/roster-imports?_csrf=${encodeURIComponent(await csrfToken(admin, '/admin/roster-imports'))}`).attach('file', ROSTER_CSV, { filename: 'roster.csv', contentType: 'text/csv' });
      const id = /^\/admin\/roster-imports\/([0-9a-f-]{36})$/.exec(res.headers.location ?? '')?.[1];
      if (!id) throw new Error(`Roster upload failed: ${res.status} ${res.headers.location}`);
      return id;
    };
    const [rosterImport, rosterDiscard] = [await rosterUpload(), await rosterUpload()];
    const event = (await buildEvent(em.fork(), { capacity: null })).id;
    const alumniEvent = (await buildEvent(em.fork(), { capacity: null, visibility: 'alumni' })).id;

    const adminEvent = await buildEvent(em.fork(), { state: 'draft', title: '下書きのイベント' });
    const checkInEvent = await buildEvent(em.fork(), { title: '受付のあるイベント' });
    const checkInRegistration = await em.fork().transactional(async (tx) => {
      const [{ seq }] = await tx.execute<{ seq: string }[]>(`select nextval('events.registration_seq')::text as seq`);
      const registration = new Registration(checkInEvent.id, target.member.id, 'confirmed', 0, seq);
      const event = await tx.findOneOrFail(Event, { id: checkInEvent.id });
      event.confirmedSeats += registration.seats;
      tx.persist(registration);
      return registration.id;
    });

    const photoOf = async (memberId: string) => (await em.fork().findOneOrFail(Profile, { memberId })).photoId as string;
    const setPhoto = (memberId: string) => RequestContext.create(em.fork(), () => app.get(CommandBus).execute(new SetProfilePhotoCommand(memberId, PNG)));
    await setPhoto(applicant.member.id);
    await setPhoto(suspendedMember.member.id);
    const photos = { photo: await photoOf(target.member.id), applicantPhoto: await photoOf(applicant.member.id), suspendedPhoto: await photoOf(suspendedMember.member.id), unknownPhoto: '0123456789abcdef0123456789abcdef', variant: '160' };

    forumAuthor = target.viewer;
    const forumOperator = (await build({ status: 'employee', role: 'operator' })).viewer;
    const board = await buildBoard(runCommand, forumOperator);
    const alumniBoard = await buildBoard(runCommand, forumOperator, { nameJa: 'アルムナイ広場', visibility: 'alumni' });
    const publicBoard = await buildBoard(runCommand, forumOperator, { nameJa: 'お知らせ', publicReadable: true, threadStarters: 'operators' });
    const forumThread = await buildThread(runCommand, board, target.viewer, { title: '議事録の相談' });
    const alumniThread = await buildThread(runCommand, alumniBoard, target.viewer, { title: '退職後の話' });
    const forum = { board, alumniBoard, publicBoard, thread: forumThread.threadId, post: forumThread.postId, alumniThread: alumniThread.threadId, forumPost: forumThread.postId, forumThread: forumThread.threadId, reactionKind: 'like' };

    // Chat: the target member's channels, DM, groups and messages.
    const chatChannel = await buildChannel(runCommand, forumOperator, {}, [target.viewer]);
    const chatAlumniChannel = await buildChannel(runCommand, forumOperator, { nameJa: 'アルムナイ談話室', nameEn: 'Alumni lounge', audience: 'alumni' }, [target.viewer]);
    const chatPartner = await build({ status: 'employee', familyName: '相手', givenName: '一子' });
    const chatRequester = await build({ status: 'alumni', familyName: '希望', givenName: '二郎' });
    const chatDm = (await runCommand(new OpenDirectConversationCommand(target.viewer, chatPartner.member.id))).conversationId;
    const chatGroup = await buildGroup(runCommand, target.viewer, { name: '2015年入社同期' }, [chatPartner.viewer]);
    const chatSecretGroup = await buildGroup(runCommand, target.viewer, { name: '秘密の相談', listed: false });
    await runCommand(new RequestToJoinGroupCommand(chatRequester.viewer, chatGroup, '同期です'));
    const chatMessage = (await sendMessage(runCommand, target.viewer, chatChannel, '雑談チャンネルへようこそ')).id;
    const chatDmMessage = (await sendMessage(runCommand, target.viewer, chatDm, '雑談しませんか')).id;
    const chat = { chatChannel, chatAlumniChannel, chatDm, chatGroup, chatSecretGroup, chatGroupMember: chatPartner.member.id, chatRequester: chatRequester.member.id, chatMessage, chatDmMessage, chatFreshMessage: chatMessage, chatFreshSeq: '1', chatFreshBefore: '26' };
    chatTarget = { author: target.viewer, channel: chatChannel };

    // Content: the target member's items in each state, and an employee's employees-only item.
    contentTarget = { author: target.viewer, operator: forumOperator };
    const contentStaff = (await build({ status: 'employee', familyName: '社員', givenName: '四郎' })).viewer;
    const contentPublic = await contentItem('published', { visibility: 'public', type: 'news', title: '新オフィス移転のお知らせ', tags: ['社内'] });
    const contentMembers = await contentItem('published', { title: '出戻り社員が見た十年の変化' });
    const contentEmployees = await contentItem('published', { visibility: 'employees', title: '社内報告会のお知らせ' }, contentStaff);
    const contentDraft = await contentItem('draft');
    const contentSubmitted = await contentItem('submitted');
    const contentComment = (await runCommand(new CommentOnContentCommand(target.viewer, contentMembers, '確認用のコメントです。'))).commentId;
    const content = { contentPublic, contentMembers, contentEmployees, contentDraft, contentSubmitted, contentPublished: contentMembers, contentComment };

    shared.ctx = { ...photos, ...forum, ...chat, emailFormPassword, member: target.member.id, applicant: applicant.member.id, suspendedMember: suspendedMember.member.id, invitation, mail: mail.id, badToken: 'x', unique: 'shared', rosterImport, rosterDiscard, adminEvent: adminEvent.id, checkInEvent: checkInEvent.id, checkInRegistration, event, alumniEvent, ...content };
    const sessions = {} as Record<ViewerName, { agent: Agent; member?: BuiltMember }>;
    for (const viewer of VIEWERS) sessions[viewer] = await sessionOf(viewer);
    shared.sessions = sessions;
  });

  afterAll(async () => {
    await app.close();
    if (previousTrustProxy === undefined) delete process.env.TRUST_PROXY;
    else process.env.TRUST_PROXY = previousTrustProxy;
  });

  it('lists every route the application registers', () => {
    const router = (app.getHttpAdapter().getInstance() as unknown as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router;
    const registered = router.stack
      .filter((layer) => layer.route && !layer.route.path.startsWith('/api/docs') && !layer.route.path.includes('*'))
      .flatMap((layer) => Object.keys(layer.route!.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path.replace(/:\w+/g, ':')}`));
    const listed = new Set(MATRIX.map((r) => `${r.method} ${r.path.replace(/\{\w+\}/g, ':')}`));
    expect(registered.length).toBeGreaterThan(40);
    expect(registered.filter((route) => !listed.has(route))).toEqual([]);
  });

  const cells = MATRIX.flatMap((r) =>
    VIEWERS.map((viewer, i) => ({ route: `${r.method} ${r.path}`, viewer, expected: String(r.outcomes[i]), r, outcome: r.outcomes[i] })),
  );

  it.each(cells)('$route as $viewer → $expected', async ({ r, viewer, outcome }) => {
    let session = shared.sessions[viewer];
    let ctx: Ctx = { ...shared.ctx, self: session.member?.member.id };
    if (r.method !== 'GET') {
      session = await sessionOf(viewer);
      const unique = randomUUID().slice(0, 8);
      ctx = { ...shared.ctx, self: session.member?.member.id, unique, login: r.path === '/login' ? await build({ status: 'alumni' }) : undefined };
      for (const kind of r.fresh ?? []) {
        if (kind === 'chatMessage') {
          const fresh = await sendMessage(runCommand, chatTarget.author, chatTarget.channel, '確認用のメッセージです。');
          ctx.chatFreshMessage = fresh.id;
          ctx.chatFreshSeq = String(fresh.seq);
          ctx.chatFreshBefore = String(fresh.seq + 25);
        } else if (kind === 'contentDraft' || kind === 'contentSubmitted' || kind === 'contentPublished') {
          ctx[kind] = await contentItem(kind === 'contentDraft' ? 'draft' : kind === 'contentSubmitted' ? 'submitted' : 'published');
        } else if (kind === 'contentComment') {
          ctx.contentComment = (await runCommand(new CommentOnContentCommand(contentTarget.author, ctx.contentPublished, '確認用のコメントです。'))).commentId;
        } else if (kind === 'forumPost') {
          const fresh = await buildThread(runCommand, shared.ctx.board, forumAuthor, { title: '確認用のスレッド', body: '確認用の投稿です。' });
          ctx.forumPost = fresh.postId;
          ctx.forumThread = fresh.threadId;
        } else ctx[kind] = await freshTarget(kind);
      }
    }
    const path = fill(r.path, ctx);
    const before = r.probe ? await r.probe(ctx, em.fork()) : undefined;

    const res = await send(session.agent, r, path, ctx);

    if (outcome === 'login') {
      expect({ status: res.status, location: res.headers.location }).toEqual({
        status: 303,
        location: r.method === 'GET' ? `/login?next=${encodeURIComponent(path)}` : '/login',
      });
    } else if (typeof outcome === 'string') {
      expect({ status: res.status, location: res.headers.location }).toEqual({ status: 303, location: fill(outcome.slice(1), ctx) });
    } else {
      expect(res.status).toBe(outcome);
      if (path.startsWith('/api/v1/')) {
        if (outcome !== 204) expect(res.headers['content-type']).toMatch(/application\/json/);
        if (outcome >= 400) expect(res.body).toMatchObject({ statusCode: outcome });
      } else if (outcome === 403) {
        expect(decode(res.text)).toContain('このページを表示する権限がありません');
      }
    }

    if (r.probe) {
      const after = await r.probe(ctx, em.fork());
      // Refused requests change nothing; accepted ones do what they say.
      if (isAccepted(outcome, r.method)) expect(after).not.toEqual(before);
      else expect(after).toEqual(before);
    }
  });

  describe('CSRF', () => {
    const formExpired = 'フォームの有効期限が切れました。ページを再読み込みしてから、もう一度送信してください。';

    it('refuses a POST without a token from an anonymous visitor with the "form expired" page', async () => {
      const a = agent();
      await a.get('/login').expect(200);
      const res = await a.post('/login').type('form').send({ email: 'nobody@example.jp', password: 'whatever-2026' });
      expect(res.status).toBe(403);
      expect(decode(res.text)).toContain(formExpired);
    });

    it('refuses a POST from a visitor who has no session at all', async () => {
      const res = await agent().post('/apply').type('form').send({ email: 'nobody@example.jp' });
      expect(res.status).toBe(403);
      expect(decode(res.text)).toContain(formExpired);
    });

    it('refuses a POST without a token (or with a wrong one) from a signed-in member and changes nothing', async () => {
      const { agent: a, member } = await sessionOf('alumni');
      const missing = await a.post('/profile/basic').type('form').send({ familyName: '改竄', givenName: '太郎', familyNameKana: 'カイザン', givenNameKana: 'タロウ' });
      expect(missing.status).toBe(403);
      expect(decode(missing.text)).toContain(formExpired);
      const wrong = await a.post('/account/sessions/end').type('form').send({ _csrf: 'not-the-token' });
      expect(wrong.status).toBe(403);
      expect(decode(wrong.text)).toContain(formExpired);
      const photo = await a.post('/profile/photo').attach('photo', PNG, { filename: 'me.png', contentType: 'image/png' });
      expect(photo.status).toBe(403);
      const profile = await em.fork().findOneOrFail(Profile, { memberId: member!.member.id });
      expect(profile.familyName).toBe('試験');
      expect(profile.photoId).toBeNull();
      await a.get('/account').expect(200);
    });

    it('refuses an admin action without a token', async () => {
      const target = await build({ status: 'alumni' });
      const res = await admin.post(`/admin/members/${target.member.id}/suspend`).type('form').send({ reason: 'x' });
      expect(res.status).toBe(403);
      expect(decode(res.text)).toContain(formExpired);
      expect((await em.fork().findOneOrFail(Member, { id: target.member.id })).status).toBe('alumni');
    });
  });
});
