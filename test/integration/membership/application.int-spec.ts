import { ApplyForMembershipCommand, DecideApplicationCommand, GetAccountQuery, VerifyEmailCommand } from '@modules/membership/contracts';
import { MembershipModule } from '@modules/membership/membership.module';
import { MailMessage } from '@libs/mail/mail-message.entity';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';
import { buildMember } from '../../factories/member.factory';

const application = {
  email: 'Hanako.Sato@Example.jp',
  password: 'a-long-pass-2026',
  familyName: '佐藤',
  givenName: '花子',
  familyNameKana: 'さとう',
  givenNameKana: 'ハナコ',
  appliedAs: 'alumni' as const,
  lastDepartment: '人事部',
  joinedYear: 2012,
  leftYear: 2020,
};

describe('applying to join (Membership, real PostgreSQL)', () => {
  let h: ModuleHarness;

  beforeAll(async () => {
    h = await bootModules([MembershipModule]);
  });
  beforeEach(() => resetDatabase(h.em));
  afterAll(() => h.close());

  it('creates a pending member, queues a verification mail and records the event in the outbox, all in one commit', async () => {
    const { memberId } = await h.command(new ApplyForMembershipCommand(application, 'ja'));

    const account = await h.query(new GetAccountQuery(memberId));
    expect(account).toMatchObject({ email: 'hanako.sato@example.jp', status: 'pending', applicationState: 'submitted', emailVerified: false, displayName: '佐藤 花子' });

    const mails = await h.fresh((em) => em.find(MailMessage, { to: 'hanako.sato@example.jp' }));
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toContain('メールアドレスの確認');
    expect(mails[0].text).toMatch(/http:\/\/kizuna\.test\/verify-email\/[\w-]{43}/);

    const outbox = await h.fresh((em) => em.find(OutboxMessage, {}, { orderBy: { createdAt: 'asc' } }));
    expect(outbox.map((o) => [o.queue, o.name])).toEqual(
      expect.arrayContaining([
        ['mail', 'send'],
        ['integration-events', 'membership.application-submitted'],
      ]),
    );
  });

  it('refuses a second application with the same address, whatever its case or width', async () => {
    await h.command(new ApplyForMembershipCommand(application, 'ja'));
    await expect(h.command(new ApplyForMembershipCommand({ ...application, email: 'ＨＡＮＡＫＯ.sato@example.jp' }, 'en'))).rejects.toMatchObject({
      code: 'membership.errors.emailTaken',
      field: 'email',
    });
  });

  it('rejects a weak password before anything is written', async () => {
    await expect(h.command(new ApplyForMembershipCommand({ ...application, password: 'short' }, 'ja'))).rejects.toMatchObject({ code: 'validation.weakPassword' });
    expect(await h.fresh((em) => em.count(MailMessage, {}))).toBe(0);
  });

  it('lets an operator approve only after the address is verified', async () => {
    const operator = await buildMember(h.em.fork(), { status: 'employee', role: 'operator' });
    const { memberId } = await h.command(new ApplyForMembershipCommand(application, 'ja'));

    await expect(h.command(new DecideApplicationCommand(operator.viewer, memberId, 'approve'))).rejects.toMatchObject({ code: 'membership.errors.emailNotVerified' });

    const mail = await h.fresh((em) => em.findOneOrFail(MailMessage, { to: 'hanako.sato@example.jp' }));
    const token = /verify-email\/([\w-]+)/.exec(mail.text)?.[1] as string;
    await h.command(new VerifyEmailCommand(token));
    await expect(h.command(new VerifyEmailCommand(token))).rejects.toMatchObject({ code: 'membership.errors.linkInvalid' });

    await h.command(new DecideApplicationCommand(operator.viewer, memberId, 'approve'));
    expect(await h.query(new GetAccountQuery(memberId))).toMatchObject({ status: 'alumni', applicationState: 'approved', emailVerified: true });
    await expect(h.command(new DecideApplicationCommand(operator.viewer, memberId, 'decline', 'twice'))).rejects.toMatchObject({ code: 'membership.errors.applicationNotPending' });
  });

  it('does not let a member who is not an operator decide', async () => {
    const member = await buildMember(h.em.fork(), { status: 'alumni' });
    const { memberId } = await h.command(new ApplyForMembershipCommand(application, 'ja'));
    await expect(h.command(new DecideApplicationCommand(member.viewer, memberId, 'decline', 'no'))).rejects.toMatchObject({ status: 403 });
  });
});
