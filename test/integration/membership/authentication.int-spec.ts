import {
  ApplyForMembershipCommand,
  AuthenticateCommand,
  ChangePasswordCommand,
  ConfirmEmailChangeCommand,
  EndAllSessionsCommand,
  GetAccountQuery,
  RequestEmailChangeCommand,
  RequestPasswordResetCommand,
  ResetPasswordCommand,
  SuspendMemberCommand,
} from '@modules/membership/contracts';
import { MembershipModule } from '@modules/membership/membership.module';
import { AccountToken } from '@modules/membership/domain/account-token.entity';
import { Member } from '@modules/membership/domain/member.entity';
import { MailMessage } from '@libs/mail/mail-message.entity';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { VIEWER_LOADER, type ViewerLoader } from '@libs/security/viewer-loader';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';
import { buildMember, TEST_PASSWORD } from '../../factories/member.factory';

const INVALID = { code: 'membership.errors.invalidCredentials' };

describe('signing in and managing credentials (Membership, real PostgreSQL)', () => {
  let h: ModuleHarness;
  let viewers: ViewerLoader;

  beforeAll(async () => {
    h = await bootModules([MembershipModule]);
    viewers = h.app.get<ViewerLoader>(VIEWER_LOADER);
  });
  beforeEach(() => resetDatabase(h.em));
  afterAll(() => h.close());

  const memberRow = (id: string) => h.fresh((em) => em.findOneOrFail(Member, { id }));
  const mailsTo = (to: string) => h.fresh((em) => em.find(MailMessage, { to }, { orderBy: { createdAt: 'asc' } }));
  const linkIn = (text: string, path: string): string => {
    const token = new RegExp(`http://kizuna\\.test${path}/([\\w-]{43})`).exec(text)?.[1];
    if (!token) throw new Error(`no ${path} link in:\n${text}`);
    return token;
  };

  describe('AuthenticateCommand', () => {
    it('answers the viewer for the right password and records the login', async () => {
      const alice = await buildMember(h.em.fork(), { email: 'alice@example.jp', status: 'employee', role: 'operator', familyName: '青木', givenName: '愛' });

      const viewer = await h.command(new AuthenticateCommand('alice@example.jp', TEST_PASSWORD));
      expect(viewer).toEqual({
        memberId: alice.member.id,
        status: 'employee',
        role: 'operator',
        displayName: '青木 愛',
        locale: null,
        timeZone: null,
        sessionVersion: 1,
        photoId: null,
      });
      expect((await memberRow(alice.member.id)).lastLoginAt).toBeInstanceOf(Date);
    });

    it('gives the same error for a wrong password and an unknown address', async () => {
      const bob = await buildMember(h.em.fork(), { email: 'bob@example.jp' });

      const wrongPassword = await h.command(new AuthenticateCommand('bob@example.jp', 'not-the-password-1')).catch((e: unknown) => e);
      const unknownAddress = await h.command(new AuthenticateCommand('nobody@example.jp', TEST_PASSWORD)).catch((e: unknown) => e);
      expect(wrongPassword).toMatchObject(INVALID);
      expect(unknownAddress).toMatchObject(INVALID);
      const shape = (e: unknown) => {
        const { code, status, field, message, name } = e as { code: string; status: number; field?: string; message: string; name: string };
        return { code, status, field, message, name };
      };
      expect(shape(wrongPassword)).toEqual(shape(unknownAddress));
      expect((await memberRow(bob.member.id)).lastLoginAt ?? null).toBeNull();
    });

    it('refuses an empty password', async () => {
      await buildMember(h.em.fork(), { email: 'carol@example.jp' });
      await expect(h.command(new AuthenticateCommand('carol@example.jp', ''))).rejects.toMatchObject(INVALID);
    });

    it('tells a suspended member, with the right password, that the account is suspended', async () => {
      await buildMember(h.em.fork(), { email: 'dan@example.jp', status: 'suspended' });
      await expect(h.command(new AuthenticateCommand('dan@example.jp', TEST_PASSWORD))).rejects.toMatchObject({ code: 'membership.errors.suspended' });
      // …but does not reveal the suspension to someone who does not know the password.
      await expect(h.command(new AuthenticateCommand('dan@example.jp', 'guessing-1234'))).rejects.toMatchObject(INVALID);
    });

    it('matches the address whatever its case, width and surrounding spaces', async () => {
      const erin = await buildMember(h.em.fork(), { email: 'erin.k@example.jp' });
      for (const typed of ['Erin.K@Example.JP', 'ＥＲＩＮ．Ｋ＠ｅｘａｍｐｌｅ．ｊｐ', '  erin.k@example.jp  ']) {
        await expect(h.command(new AuthenticateCommand(typed, TEST_PASSWORD))).resolves.toMatchObject({ memberId: erin.member.id });
      }
    });

    it('lets an applicant who is still pending sign in (to follow their application)', async () => {
      const applicant = await buildMember(h.em.fork(), { email: 'pending@example.jp', status: 'pending' });
      await expect(h.command(new AuthenticateCommand('pending@example.jp', TEST_PASSWORD))).resolves.toMatchObject({
        memberId: applicant.member.id,
        status: 'pending',
      });
    });
  });

  describe('password reset', () => {
    it('writes nothing for an unknown address, without saying so', async () => {
      await buildMember(h.em.fork(), { email: 'known@example.jp' });
      await expect(h.command(new RequestPasswordResetCommand('unknown@example.jp', 'ja'))).resolves.toBeUndefined();
      expect(await h.fresh((em) => em.count(MailMessage, {}))).toBe(0);
      expect(await h.fresh((em) => em.count(AccountToken, {}))).toBe(0);
      expect(await h.fresh((em) => em.count(OutboxMessage, {}))).toBe(0);
    });

    it('sends no link to a suspended member', async () => {
      await buildMember(h.em.fork(), { email: 'suspended@example.jp', status: 'suspended' });
      await expect(h.command(new RequestPasswordResetCommand('suspended@example.jp', 'ja'))).resolves.toBeUndefined();
      expect(await h.fresh((em) => em.count(MailMessage, {}))).toBe(0);
    });

    it('mails a link that resets the password once, ends other sessions and refuses a weak password', async () => {
      const fay = await buildMember(h.em.fork(), { email: 'fay@example.jp' });

      await h.command(new RequestPasswordResetCommand('FAY@example.jp', 'en'));
      const [mail] = await mailsTo('fay@example.jp');
      expect(mail).toBeDefined();
      expect(mail.locale).toBe('en');
      expect(mail.subject).toBe('[Kizuna] Reset your password');
      expect(mail.text).toContain('valid for 60 minutes, once');
      const token = linkIn(mail.text, '/password-reset');

      await expect(h.command(new ResetPasswordCommand(token, 'short'))).rejects.toMatchObject({ code: 'validation.weakPassword', field: 'password' });
      // The weak attempt did not use up the link nor change the password.
      await expect(h.command(new AuthenticateCommand('fay@example.jp', TEST_PASSWORD))).resolves.toBeDefined();

      const before = (await memberRow(fay.member.id)).sessionVersion;
      await h.command(new ResetPasswordCommand(token, 'brand-new-secret-9'));

      await expect(h.command(new AuthenticateCommand('fay@example.jp', TEST_PASSWORD))).rejects.toMatchObject(INVALID);
      await expect(h.command(new AuthenticateCommand('fay@example.jp', 'brand-new-secret-9'))).resolves.toMatchObject({ memberId: fay.member.id });
      expect((await memberRow(fay.member.id)).sessionVersion).toBe(before + 1);
      expect(await viewers.load(fay.member.id, before)).toBeNull();

      await expect(h.command(new ResetPasswordCommand(token, 'yet-another-one-8'))).rejects.toMatchObject({ code: 'membership.errors.linkInvalid' });
      await expect(h.command(new AuthenticateCommand('fay@example.jp', 'brand-new-secret-9'))).resolves.toBeDefined();
    });

    it('writes the mail in the member\'s own language when they chose one', async () => {
      const gen = await buildMember(h.em.fork(), { email: 'gen@example.jp' });
      await h.fresh(async (em) => {
        (await em.findOneOrFail(Member, { id: gen.member.id })).locale = 'ja';
        await em.flush();
      });
      await h.command(new RequestPasswordResetCommand('gen@example.jp', 'en'));
      const [mail] = await mailsTo('gen@example.jp');
      expect(mail.locale).toBe('ja');
      expect(mail.subject).toContain('パスワードの再設定');
    });

    it('refuses an expired or unknown link', async () => {
      const hana = await buildMember(h.em.fork(), { email: 'hana@example.jp' });
      await h.command(new RequestPasswordResetCommand('hana@example.jp', 'ja'));
      const token = linkIn((await mailsTo('hana@example.jp'))[0].text, '/password-reset');
      await h.fresh(async (em) => {
        (await em.findOneOrFail(AccountToken, { memberId: hana.member.id, purpose: 'reset-password' })).expiresAt = new Date(Date.now() - 1000);
        await em.flush();
      });
      await expect(h.command(new ResetPasswordCommand(token, 'brand-new-secret-9'))).rejects.toMatchObject({ code: 'membership.errors.linkInvalid' });
      await expect(h.command(new ResetPasswordCommand('made-up', 'brand-new-secret-9'))).rejects.toMatchObject({ code: 'membership.errors.linkInvalid' });
      await expect(h.command(new AuthenticateCommand('hana@example.jp', TEST_PASSWORD))).resolves.toBeDefined();
    });
  });

  it('does not accept a link sent for another purpose', async () => {
    await h.command(
      new ApplyForMembershipCommand(
        { email: 'rin@example.jp', password: 'a-long-pass-2026', familyName: '林', givenName: '凛', familyNameKana: 'ハヤシ', givenNameKana: 'リン', appliedAs: 'alumni' },
        'ja',
      ),
    );
    const verifyToken = linkIn((await mailsTo('rin@example.jp'))[0].text, '/verify-email');
    await expect(h.command(new ResetPasswordCommand(verifyToken, 'brand-new-secret-9'))).rejects.toMatchObject({ code: 'membership.errors.linkInvalid' });
    await expect(h.command(new ConfirmEmailChangeCommand(verifyToken))).rejects.toMatchObject({ code: 'membership.errors.linkInvalid' });

    await h.command(new RequestPasswordResetCommand('rin@example.jp', 'ja'));
    const resetToken = linkIn((await mailsTo('rin@example.jp'))[1].text, '/password-reset');
    await expect(h.command(new ConfirmEmailChangeCommand(resetToken))).rejects.toMatchObject({ code: 'membership.errors.linkInvalid' });
    await expect(h.command(new AuthenticateCommand('rin@example.jp', 'a-long-pass-2026'))).resolves.toBeDefined();
  });

  describe('ChangePasswordCommand', () => {
    it('refuses a wrong current password on the currentPassword field', async () => {
      const ian = await buildMember(h.em.fork());
      await expect(h.command(new ChangePasswordCommand(ian.member.id, 'not-my-password-1', 'a-fresh-password-2'))).rejects.toMatchObject({
        code: 'membership.errors.wrongPassword',
        field: 'currentPassword',
      });
      await expect(h.command(new AuthenticateCommand(ian.email, TEST_PASSWORD))).resolves.toBeDefined();
    });

    it('refuses a weak new password on the newPassword field', async () => {
      const jun = await buildMember(h.em.fork());
      await expect(h.command(new ChangePasswordCommand(jun.member.id, TEST_PASSWORD, 'abc'))).rejects.toMatchObject({
        code: 'validation.weakPassword',
        field: 'newPassword',
      });
    });

    it('changes the password, ends the other sessions and keeps this one going with the new version', async () => {
      const ken = await buildMember(h.em.fork());
      const viewer = await h.command(new ChangePasswordCommand(ken.member.id, TEST_PASSWORD, 'a-fresh-password-2'));
      expect(viewer).toMatchObject({ memberId: ken.member.id, sessionVersion: ken.viewer.sessionVersion + 1 });

      await expect(h.command(new AuthenticateCommand(ken.email, TEST_PASSWORD))).rejects.toMatchObject(INVALID);
      await expect(h.command(new AuthenticateCommand(ken.email, 'a-fresh-password-2'))).resolves.toBeDefined();
      expect(await viewers.load(ken.member.id, ken.viewer.sessionVersion)).toBeNull();
      expect(await viewers.load(ken.member.id, viewer.sessionVersion)).toMatchObject({ memberId: ken.member.id });
    });
  });

  describe('changing the sign-in address', () => {
    it('mails a link to the new address and a notice to the old one; after confirming only the new address signs in', async () => {
      const lee = await buildMember(h.em.fork(), { email: 'lee@company.example.jp' });

      await h.command(new RequestEmailChangeCommand(lee.member.id, TEST_PASSWORD, 'Lee.Private@Example.com'));

      const toNew = await mailsTo('lee.private@example.com');
      expect(toNew).toHaveLength(1);
      expect(toNew[0].subject).toContain('新しいメールアドレスの確認');
      const token = linkIn(toNew[0].text, '/account/email');

      const toOld = await mailsTo('lee@company.example.jp');
      expect(toOld).toHaveLength(1);
      expect(toOld[0].subject).toContain('メールアドレス変更のお知らせ');
      expect(toOld[0].text).toContain('lee.private@example.com');
      expect(toOld[0].text).not.toContain(token);

      // Until confirmed, the old address is still the one that signs in.
      await expect(h.command(new AuthenticateCommand('lee@company.example.jp', TEST_PASSWORD))).resolves.toBeDefined();
      await expect(h.command(new AuthenticateCommand('lee.private@example.com', TEST_PASSWORD))).rejects.toMatchObject(INVALID);

      await h.command(new ConfirmEmailChangeCommand(token));

      expect(await h.query(new GetAccountQuery(lee.member.id))).toMatchObject({ email: 'lee.private@example.com', emailVerified: true });
      await expect(h.command(new AuthenticateCommand('lee.private@example.com', TEST_PASSWORD))).resolves.toMatchObject({ memberId: lee.member.id });
      await expect(h.command(new AuthenticateCommand('lee@company.example.jp', TEST_PASSWORD))).rejects.toMatchObject(INVALID);

      await expect(h.command(new ConfirmEmailChangeCommand(token))).rejects.toMatchObject({ code: 'membership.errors.linkInvalid' });
    });

    it('refuses an address another member uses, whatever its case or width', async () => {
      const mio = await buildMember(h.em.fork());
      await buildMember(h.em.fork(), { email: 'taken@example.jp' });
      await expect(h.command(new RequestEmailChangeCommand(mio.member.id, TEST_PASSWORD, 'ＴＡＫＥＮ@example.jp'))).rejects.toMatchObject({
        code: 'membership.errors.emailTaken',
        field: 'newEmail',
      });
      expect(await h.fresh((em) => em.count(MailMessage, {}))).toBe(0);
    });

    it('refuses the member\'s current address and a wrong password', async () => {
      const nao = await buildMember(h.em.fork(), { email: 'nao@example.jp' });
      await expect(h.command(new RequestEmailChangeCommand(nao.member.id, TEST_PASSWORD, 'NAO@example.jp'))).rejects.toMatchObject({
        code: 'membership.errors.emailTaken',
      });
      await expect(h.command(new RequestEmailChangeCommand(nao.member.id, 'wrong-password-1', 'nao2@example.jp'))).rejects.toMatchObject({
        code: 'membership.errors.wrongPassword',
        field: 'password',
      });
      expect(await h.fresh((em) => em.count(MailMessage, {}))).toBe(0);
    });

    it('refuses to confirm when someone took the address after the request', async () => {
      const oto = await buildMember(h.em.fork(), { email: 'oto@example.jp' });
      await h.command(new RequestEmailChangeCommand(oto.member.id, TEST_PASSWORD, 'contested@example.jp'));
      const token = linkIn((await mailsTo('contested@example.jp'))[0].text, '/account/email');
      await buildMember(h.em.fork(), { email: 'contested@example.jp' });

      await expect(h.command(new ConfirmEmailChangeCommand(token))).rejects.toMatchObject({ code: 'membership.errors.emailTaken' });
      expect((await h.query(new GetAccountQuery(oto.member.id))).email).toBe('oto@example.jp');
    });
  });

  describe('sessions', () => {
    it('EndAllSessionsCommand bumps the session version, so the viewer loader drops old sessions', async () => {
      const pia = await buildMember(h.em.fork(), { familyName: '松本', givenName: '葵' });
      await expect(viewers.load(pia.member.id, 1)).resolves.toMatchObject({ memberId: pia.member.id, displayName: '松本 葵', sessionVersion: 1 });

      await h.command(new EndAllSessionsCommand(pia.member.id));

      expect((await memberRow(pia.member.id)).sessionVersion).toBe(2);
      expect(await viewers.load(pia.member.id, 1)).toBeNull();
      await expect(viewers.load(pia.member.id, 2)).resolves.toMatchObject({ memberId: pia.member.id, sessionVersion: 2 });
      // Signing in again starts a session on the new version.
      await expect(h.command(new AuthenticateCommand(pia.email, TEST_PASSWORD))).resolves.toMatchObject({ sessionVersion: 2 });
    });

    it('the viewer loader refuses a suspended member, even on the current session version', async () => {
      const admin = await buildMember(h.em.fork(), { status: 'employee', role: 'admin' });
      const quinn = await buildMember(h.em.fork());
      await h.command(new SuspendMemberCommand(admin.viewer, quinn.member.id, 'spam'));
      const { sessionVersion } = await memberRow(quinn.member.id);
      expect(await viewers.load(quinn.member.id, sessionVersion)).toBeNull();
      expect(await viewers.load(quinn.member.id, 1)).toBeNull();

      const built = await buildMember(h.em.fork(), { status: 'suspended' });
      expect(await viewers.load(built.member.id, built.member.sessionVersion)).toBeNull();
    });

    it('the viewer loader answers null for an unknown or malformed member id', async () => {
      await expect(viewers.load('00000000-0000-4000-8000-000000000000', 1)).resolves.toBeNull();
      await expect(viewers.load('not-an-id', 1)).resolves.toBeNull();
    });
  });
});
