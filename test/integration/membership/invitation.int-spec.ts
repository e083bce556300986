import {
  AcceptInvitationCommand,
  AuthenticateCommand,
  GetAccountQuery,
  GetInvitationPreviewQuery,
  GetMemberForAdminQuery,
  InviteMemberCommand,
  ListInvitationsQuery,
  type InvitationAcceptance,
} from '@modules/membership/contracts';
import { MembershipModule } from '@modules/membership/membership.module';
import { Invitation } from '@modules/membership/domain/invitation.entity';
import { Member } from '@modules/membership/domain/member.entity';
import { MailMessage } from '@libs/mail/mail-message.entity';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';
import { buildMember, type BuiltMember } from '../../factories/member.factory';
import { buildInvitation } from '../../factories/invitation.factory';

const acceptance: InvitationAcceptance = {
  password: 'welcome-aboard-77',
  familyName: '鈴木',
  givenName: '一郎',
  familyNameKana: 'すずき',
  givenNameKana: 'イチロウ',
};

const LINK = /http:\/\/kizuna\.test\/invitations\/([\w-]{43})/;

describe('inviting someone to join (Membership, real PostgreSQL)', () => {
  let h: ModuleHarness;
  let operator: BuiltMember;

  beforeAll(async () => {
    h = await bootModules([MembershipModule]);
  });
  beforeEach(async () => {
    await resetDatabase(h.em);
    operator = await buildMember(h.em.fork(), { status: 'employee', role: 'operator', familyName: '山田', givenName: '花子' });
  });
  afterAll(() => h.close());

  /** Invites through the command and answers the link's secret, read from the mail the invitee receives. */
  async function invite(email: string, status: 'employee' | 'alumni' = 'employee', message?: string): Promise<{ invitationId: string; token: string }> {
    const { invitationId } = await h.command(new InviteMemberCommand(operator.viewer, email, status, 'ja', message));
    const mail = await h.fresh((em) => em.findOneOrFail(MailMessage, { key: `invitation:${invitationId}` }));
    const token = LINK.exec(mail.text)?.[1];
    if (!token) throw new Error(`no invitation link in:\n${mail.text}`);
    return { invitationId, token };
  }

  describe('InviteMemberCommand', () => {
    it('queues an invitation mail with a one-time link, the inviter and the message, to the normalized address', async () => {
      const { invitationId } = await h.command(
        new InviteMemberCommand(operator.viewer, '  Ichiro.Suzuki@Example.JP ', 'employee', 'ja', '新しいコミュニティへようこそ'),
      );

      const mails = await h.fresh((em) => em.find(MailMessage, {}));
      expect(mails).toHaveLength(1);
      const [mail] = mails;
      expect(mail.to).toBe('ichiro.suzuki@example.jp');
      expect(mail.locale).toBe('ja');
      expect(mail.subject).toContain('コミュニティへのご招待');
      expect(mail.text).toMatch(LINK);
      expect(mail.text).toContain('山田 花子');
      expect(mail.text).toContain('新しいコミュニティへようこそ');
      expect(mail.text).toContain('14日間有効');
      expect(mail.html).toMatch(/<a href="http:\/\/kizuna\.test\/invitations\/[\w-]{43}">/);

      // The mail is handed to the worker through the outbox, in the same commit as the invitation.
      const outbox = await h.fresh((em) => em.find(OutboxMessage, {}));
      expect(outbox.map((o) => [o.queue, o.name, o.payload])).toEqual([['mail', 'send', { messageId: mail.id }]]);

      const invitation = await h.fresh((em) => em.findOneOrFail(Invitation, { id: invitationId }));
      expect(invitation).toMatchObject({ email: 'ichiro.suzuki@example.jp', status: 'employee', invitedBy: operator.member.id, state: 'open' });
    });

    it('writes the mail in the language chosen by the operator', async () => {
      await h.command(new InviteMemberCommand(operator.viewer, 'guest@example.com', 'alumni', 'en'));
      const mail = await h.fresh((em) => em.findOneOrFail(MailMessage, { to: 'guest@example.com' }));
      expect(mail.locale).toBe('en');
      expect(mail.subject).toBe('[Kizuna] You are invited to join');
      expect(mail.text).toContain('valid for 14 days, once');
      expect(mail.text).toMatch(LINK);
    });

    it('is for operators only: an ordinary member is refused and nothing is written', async () => {
      const alumnus = await buildMember(h.em.fork(), { status: 'alumni' });
      const employee = await buildMember(h.em.fork(), { status: 'employee' });
      for (const actor of [alumnus, employee]) {
        await expect(h.command(new InviteMemberCommand(actor.viewer, 'someone@example.jp', 'alumni', 'ja'))).rejects.toMatchObject({ status: 403 });
      }
      expect(await h.fresh((em) => em.count(Invitation, {}))).toBe(0);
      expect(await h.fresh((em) => em.count(MailMessage, {}))).toBe(0);
    });

    it('lets an admin invite as well', async () => {
      const admin = await buildMember(h.em.fork(), { status: 'employee', role: 'admin' });
      await expect(h.command(new InviteMemberCommand(admin.viewer, 'new.face@example.jp', 'alumni', 'ja'))).resolves.toMatchObject({
        invitationId: expect.any(String),
      });
    });

    it('refuses an address that already belongs to a member, whatever its case or width', async () => {
      await buildMember(h.em.fork(), { email: 'taken@example.jp' });
      await expect(h.command(new InviteMemberCommand(operator.viewer, 'ＴＡＫＥＮ@Example.jp', 'alumni', 'ja'))).rejects.toMatchObject({
        code: 'membership.errors.emailTaken',
        field: 'email',
      });
      expect(await h.fresh((em) => em.count(Invitation, {}))).toBe(0);
      expect(await h.fresh((em) => em.count(MailMessage, {}))).toBe(0);
    });
  });

  describe('ListInvitationsQuery', () => {
    it('lists open, accepted and expired invitations, newest first, with the inviter\'s name', async () => {
      const first = await invite('first@example.jp', 'alumni');
      const second = await invite('second@example.jp', 'employee');
      const third = await invite('third@example.jp', 'alumni');
      await h.fresh(async (em) => {
        // Distinct creation times, so that the order does not depend on the clock's resolution.
        const rows = await em.find(Invitation, {});
        const base = Date.now() - 3 * 3600_000;
        for (const row of rows) row.createdAt = new Date(base + [first, second, third].findIndex((i) => i.invitationId === row.id) * 60_000);
        rows.find((r) => r.id === third.invitationId)!.expiresAt = new Date(Date.now() - 1000);
        await em.flush();
      });
      await h.command(new AcceptInvitationCommand(second.token, acceptance, 'ja'));

      const list = await h.query(new ListInvitationsQuery(operator.viewer));
      expect(list).toMatchObject({ total: 3, page: 1, pages: 1 });
      expect(list.items.map((i) => [i.email, i.state, i.invitedByName])).toEqual([
        ['third@example.jp', 'expired', '山田 花子'],
        ['second@example.jp', 'accepted', '山田 花子'],
        ['first@example.jp', 'open', '山田 花子'],
      ]);
    });

    it('answers an empty page when nobody was invited', async () => {
      await expect(h.query(new ListInvitationsQuery(operator.viewer))).resolves.toEqual({ items: [], total: 0, page: 1, pageSize: 30, pages: 1 });
    });

    it('is for operators only', async () => {
      const alumnus = await buildMember(h.em.fork(), { status: 'alumni' });
      await expect(h.query(new ListInvitationsQuery(alumnus.viewer))).rejects.toMatchObject({ status: 403 });
    });
  });

  describe('GetInvitationPreviewQuery', () => {
    it('shows the invited address, status and message behind the link', async () => {
      const { token } = await invite('Preview@Example.jp', 'alumni', 'お久しぶりです');
      await expect(h.query(new GetInvitationPreviewQuery(token))).resolves.toEqual({
        email: 'preview@example.jp',
        status: 'alumni',
        message: 'お久しぶりです',
      });
    });

    it('answers a null message when the operator wrote none', async () => {
      const { token } = await invite('plain@example.jp');
      await expect(h.query(new GetInvitationPreviewQuery(token))).resolves.toEqual({ email: 'plain@example.jp', status: 'employee', message: null });
    });

    it('does not recognise a made-up or oversized token', async () => {
      await invite('real@example.jp');
      await expect(h.query(new GetInvitationPreviewQuery('A'.repeat(43)))).rejects.toMatchObject({ code: 'membership.errors.invitation.unknown' });
      await expect(h.query(new GetInvitationPreviewQuery('x'.repeat(5000)))).rejects.toMatchObject({ code: 'membership.errors.invitation.unknown' });
    });
  });

  describe('AcceptInvitationCommand', () => {
    it('creates an active member with the invited status and a verified address, who can sign in at once', async () => {
      const { invitationId, token } = await invite('Ichiro.Suzuki@example.jp', 'employee');

      const viewer = await h.command(new AcceptInvitationCommand(token, acceptance, 'en'));
      expect(viewer).toMatchObject({ status: 'employee', role: 'member', displayName: '鈴木 一郎', locale: 'en', sessionVersion: 1 });

      const account = await h.query(new GetAccountQuery(viewer.memberId));
      expect(account).toMatchObject({
        email: 'ichiro.suzuki@example.jp',
        emailVerified: true,
        status: 'employee',
        role: 'member',
        locale: 'en',
        displayName: '鈴木 一郎',
        applicationState: null,
      });
      const admin = await h.query(new GetMemberForAdminQuery(operator.viewer, viewer.memberId));
      expect(admin).toMatchObject({ joinedVia: 'invitation', kana: 'スズキ イチロウ', emailVerified: true });
      expect(admin.lastLoginAt).toBeInstanceOf(Date);

      const member = await h.fresh((em) => em.findOneOrFail(Member, { id: viewer.memberId }));
      expect(member.decidedBy).toBe(operator.member.id);

      await expect(h.command(new AuthenticateCommand('ichiro.suzuki@example.jp', acceptance.password))).resolves.toMatchObject({
        memberId: viewer.memberId,
      });

      const invitation = await h.fresh((em) => em.findOneOrFail(Invitation, { id: invitationId }));
      expect(invitation).toMatchObject({ state: 'accepted', acceptedMemberId: viewer.memberId });

      const joined = await h.fresh((em) => em.find(OutboxMessage, { name: 'membership.member-joined' }));
      expect(joined.map((o) => o.payload)).toEqual([expect.objectContaining({ memberId: viewer.memberId, status: 'employee' })]);
    });

    it('turns an alumni invitation into an alumnus', async () => {
      const { token } = await invite('old.friend@example.jp', 'alumni');
      const viewer = await h.command(new AcceptInvitationCommand(token, acceptance, 'ja'));
      expect(viewer.status).toBe('alumni');
      expect((await h.query(new GetAccountQuery(viewer.memberId))).status).toBe('alumni');
    });

    it('works once: a second use of the link is refused as used, and the preview says so too', async () => {
      const { token } = await invite('once@example.jp');
      await h.command(new AcceptInvitationCommand(token, acceptance, 'ja'));

      await expect(h.command(new AcceptInvitationCommand(token, { ...acceptance, password: 'another-pass-99' }, 'ja'))).rejects.toMatchObject({
        code: 'membership.errors.invitation.used',
      });
      await expect(h.query(new GetInvitationPreviewQuery(token))).rejects.toMatchObject({ code: 'membership.errors.invitation.used' });
      expect(await h.fresh((em) => em.count(Member, { email: 'once@example.jp' }))).toBe(1);
      // The first password still signs in; the second attempt changed nothing.
      await expect(h.command(new AuthenticateCommand('once@example.jp', acceptance.password))).resolves.toBeDefined();
      await expect(h.command(new AuthenticateCommand('once@example.jp', 'another-pass-99'))).rejects.toMatchObject({
        code: 'membership.errors.invalidCredentials',
      });
    });

    it('creates one member when the link is used twice at the same time', async () => {
      const { token } = await invite('race@example.jp');
      const results = await Promise.allSettled([
        h.command(new AcceptInvitationCommand(token, acceptance, 'ja')),
        h.command(new AcceptInvitationCommand(token, { ...acceptance, password: 'another-pass-99' }, 'ja')),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(rejected).toHaveLength(1);
      expect(rejected[0].reason).toMatchObject({ code: 'membership.errors.invitation.used' });
      expect(await h.fresh((em) => em.count(Member, { email: 'race@example.jp' }))).toBe(1);
    });

    it('refuses an expired link and creates nobody', async () => {
      const { invitationId, token } = await invite('late@example.jp');
      await h.fresh(async (em) => {
        const invitation = await em.findOneOrFail(Invitation, { id: invitationId });
        invitation.expiresAt = new Date(Date.now() - 60_000);
        await em.flush();
      });

      await expect(h.query(new GetInvitationPreviewQuery(token))).rejects.toMatchObject({ code: 'membership.errors.invitation.expired' });
      await expect(h.command(new AcceptInvitationCommand(token, acceptance, 'ja'))).rejects.toMatchObject({
        code: 'membership.errors.invitation.expired',
      });
      expect(await h.fresh((em) => em.count(Member, { email: 'late@example.jp' }))).toBe(0);
      expect((await h.fresh((em) => em.findOneOrFail(Invitation, { id: invitationId }))).state).toBe('expired');
    });

    it('refuses an invitation built with an expiry in the past', async () => {
      const { token } = await buildInvitation(h.em.fork(), { invitedBy: operator.member.id, email: 'past@example.jp', expiresAt: new Date(Date.now() - 1000) });
      await expect(h.command(new AcceptInvitationCommand(token, acceptance, 'ja'))).rejects.toMatchObject({
        code: 'membership.errors.invitation.expired',
      });
    });

    it('refuses an unknown token', async () => {
      await invite('someone@example.jp');
      await expect(h.command(new AcceptInvitationCommand('not-a-real-token', acceptance, 'ja'))).rejects.toMatchObject({
        code: 'membership.errors.invitation.unknown',
      });
      expect(await h.fresh((em) => em.count(Member, { email: 'someone@example.jp' }))).toBe(0);
    });

    it('refuses a weak password and leaves the link usable', async () => {
      const { token } = await invite('careful@example.jp');
      await expect(h.command(new AcceptInvitationCommand(token, { ...acceptance, password: 'short' }, 'ja'))).rejects.toMatchObject({
        code: 'validation.weakPassword',
        field: 'password',
      });
      // A password built from the invited address itself is weak too.
      await expect(h.command(new AcceptInvitationCommand(token, { ...acceptance, password: 'careful-2026-x' }, 'ja'))).rejects.toMatchObject({
        code: 'validation.weakPassword',
      });
      await expect(h.query(new GetInvitationPreviewQuery(token))).resolves.toMatchObject({ email: 'careful@example.jp' });
      await expect(h.command(new AcceptInvitationCommand(token, acceptance, 'ja'))).resolves.toMatchObject({ status: 'employee' });
    });

    it('refuses the link when the address registered in the meantime', async () => {
      const { token } = await invite('meanwhile@example.jp');
      await buildMember(h.em.fork(), { email: 'meanwhile@example.jp' });
      await expect(h.command(new AcceptInvitationCommand(token, acceptance, 'ja'))).rejects.toMatchObject({ code: 'membership.errors.emailTaken' });
      expect(await h.fresh((em) => em.count(Member, { email: 'meanwhile@example.jp' }))).toBe(1);
    });
  });
});
