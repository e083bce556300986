import {
  AuthenticateCommand,
  ChangeMemberRoleCommand,
  ChangeMemberStatusCommand,
  CountMembersByStatusQuery,
  GetAccountQuery,
  GetMemberForAdminQuery,
  GetProfileForEditQuery,
  ListApplicationsQuery,
  ListMembersQuery,
  ReinstateMemberCommand,
  SuspendMemberCommand,
} from '@modules/membership/contracts';
import { MembershipModule } from '@modules/membership/membership.module';
import { Member } from '@modules/membership/domain/member.entity';
import { Profile } from '@modules/membership/domain/profile.entity';
import { DEFAULT_TIME_ZONE, zonedDate } from '@libs/calendar/zoned-time';
import { MailMessage } from '@libs/mail/mail-message.entity';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { VIEWER_LOADER, type ViewerLoader } from '@libs/security/viewer-loader';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';
import { buildMember, TEST_PASSWORD, type BuiltMember } from '../../factories/member.factory';

describe('managing members (Membership, real PostgreSQL)', () => {
  let h: ModuleHarness;
  let admin: BuiltMember;
  let operator: BuiltMember;

  beforeAll(async () => {
    h = await bootModules([MembershipModule]);
  });
  beforeEach(async () => {
    await resetDatabase(h.em);
    admin = await buildMember(h.em.fork(), { status: 'employee', role: 'admin', email: 'admin@example.jp', familyName: '管理', givenName: '者', familyNameKana: 'カンリ', givenNameKana: 'シャ' });
    operator = await buildMember(h.em.fork(), { status: 'employee', role: 'operator', email: 'operator@example.jp', familyName: '運営', givenName: '者', familyNameKana: 'ウンエイ', givenNameKana: 'シャ' });
  });
  afterAll(() => h.close());

  const events = (name: string) => h.fresh((em) => em.find(OutboxMessage, { name }, { orderBy: { createdAt: 'asc' } }));
  // Leaving dates relative to today in the community's time zone: the leaving mail depends on whether the date has passed.
  const today = zonedDate(new Date(), DEFAULT_TIME_ZONE);
  const nextYear = Number(today.slice(0, 4)) + 1;
  const nextMarch = `${nextYear}-03-31`;

  describe('ChangeMemberStatusCommand', () => {
    let leaver: BuiltMember;

    beforeEach(async () => {
      leaver = await buildMember(h.em.fork(), {
        status: 'employee',
        email: 'leaver@company.example.jp',
        familyName: '中村',
        givenName: '翔',
        profile: (p) =>
          p.replaceCareer([
            { department: '総務部', position: '担当', from: '2010-04', to: '2015-03' },
            { department: '企画部', position: '課長', from: '2015-04', to: null },
          ]),
      });
    });

    it('needs a departure date to make an employee an alumnus, and changes nothing without it', async () => {
      await expect(h.command(new ChangeMemberStatusCommand(admin.viewer, leaver.member.id, 'alumni'))).rejects.toMatchObject({
        code: 'membership.errors.departureDateRequired',
        field: 'departedOn',
      });
      expect((await h.query(new GetAccountQuery(leaver.member.id))).status).toBe('employee');
      expect(await h.fresh((em) => em.count(MailMessage, {}))).toBe(0);
      expect(await h.fresh((em) => em.count(OutboxMessage, {}))).toBe(0);
    });

    it('makes the leaver an alumnus: closes the open career entry, mails their company address while it works and publishes the change', async () => {
      await h.command(new ChangeMemberStatusCommand(admin.viewer, leaver.member.id, 'alumni', nextMarch));

      const summary = await h.query(new GetMemberForAdminQuery(admin.viewer, leaver.member.id));
      expect(summary).toMatchObject({ status: 'alumni', departedOn: nextMarch });

      const profile = await h.query(new GetProfileForEditQuery(leaver.member.id));
      expect(profile.careerAtCompany).toEqual([
        { department: '総務部', position: '担当', from: '2010-04', to: '2015-03' },
        { department: '企画部', position: '課長', from: '2015-04', to: `${nextYear}-03` },
      ]);
      expect(profile.leftYear).toBe(nextYear);

      const mails = await h.fresh((em) => em.find(MailMessage, {}));
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatchObject({ to: 'leaver@company.example.jp', locale: 'ja', template: 'membership/left-company' });
      expect(mails[0].subject).toContain('ご退職後もつながりましょう');
      expect(mails[0].text).toContain('中村 翔 様');
      expect(mails[0].text).toContain('http://kizuna.test/account');
      expect(mails[0].text).toContain('会社のメールアドレスは退職後に使えなくなるため');

      const changed = await events('membership.member-status-changed');
      expect(changed).toHaveLength(1);
      expect(changed[0]).toMatchObject({ queue: 'integration-events', jobId: `evt-${changed[0].payload.eventId}` });
      expect(changed[0].payload).toMatchObject({ memberId: leaver.member.id, from: 'employee', to: 'alumni', departedOn: nextMarch });

      // The member keeps signing in as before, now as an alumnus.
      await expect(h.command(new AuthenticateCommand('leaver@company.example.jp', TEST_PASSWORD))).resolves.toMatchObject({ status: 'alumni' });
    });

    it('mails the personal address when the member has one, even long after the leaving date', async () => {
      await h.fresh(async (em) => {
        const p = await em.findOneOrFail(Profile, { memberId: leaver.member.id });
        p.updateBasicInfo({ familyName: p.familyName, givenName: p.givenName, familyNameKana: p.familyNameKana, givenNameKana: p.givenNameKana, contactEmail: 'sho.nakamura@home.example.jp' });
        await em.flush();
      });
      await h.command(new ChangeMemberStatusCommand(admin.viewer, leaver.member.id, 'alumni', '2019-03-31'));
      const mails = await h.fresh((em) => em.find(MailMessage, {}));
      expect(mails.map((m) => m.to)).toEqual(['sho.nakamura@home.example.jp']);
      expect(mails[0].text).toContain('個人の連絡先メールアドレスにお送りしています');
      const listed = await h.query(new ListMembersQuery(admin.viewer, { status: 'alumni', contact: 'missing' }));
      expect(listed.items.map((m) => m.memberId)).not.toContain(leaver.member.id);
      expect((await h.query(new GetMemberForAdminQuery(admin.viewer, leaver.member.id))).hasPersonalAddress).toBe(true);
    });

    it('does not mail a company address that has stopped working: the leaver is listed as having no personal address', async () => {
      await h.command(new ChangeMemberStatusCommand(admin.viewer, leaver.member.id, 'alumni', '2019-03-31'));
      expect((await h.query(new GetAccountQuery(leaver.member.id))).status).toBe('alumni');
      expect(await h.fresh((em) => em.count(MailMessage, {}))).toBe(0);
      // Other modules are still told.
      expect(await events('membership.member-status-changed')).toHaveLength(1);

      const listed = await h.query(new ListMembersQuery(admin.viewer, { status: 'alumni', contact: 'missing' }));
      expect(listed.items.map((m) => [m.memberId, m.hasPersonalAddress])).toEqual([[leaver.member.id, false]]);
      // Operators see the list too (it shows that an address is missing, not the address).
      expect((await h.query(new ListMembersQuery(operator.viewer, { contact: 'missing', status: 'alumni' }))).total).toBe(1);
    });

    it('still mails the company address when the member leaves today', async () => {
      await h.command(new ChangeMemberStatusCommand(admin.viewer, leaver.member.id, 'alumni', today));
      expect((await h.fresh((em) => em.find(MailMessage, {}))).map((m) => m.to)).toEqual(['leaver@company.example.jp']);
    });

    it('writes the leaving mail in the member\'s language', async () => {
      await h.fresh(async (em) => {
        (await em.findOneOrFail(Member, { id: leaver.member.id })).locale = 'en';
        await em.flush();
      });
      await h.command(new ChangeMemberStatusCommand(admin.viewer, leaver.member.id, 'alumni', nextMarch));
      const [mail] = await h.fresh((em) => em.find(MailMessage, {}));
      expect(mail.locale).toBe('en');
      expect(mail.subject).toBe("[Kizuna] Let's stay in touch");
    });

    it('is for admins only: an operator is refused with 403 and nothing changes', async () => {
      await expect(h.command(new ChangeMemberStatusCommand(operator.viewer, leaver.member.id, 'alumni', '2026-03-31'))).rejects.toMatchObject({ status: 403 });
      const member = await buildMember(h.em.fork());
      await expect(h.command(new ChangeMemberStatusCommand(member.viewer, leaver.member.id, 'alumni', '2026-03-31'))).rejects.toMatchObject({ status: 403 });
      expect((await h.query(new GetAccountQuery(leaver.member.id))).status).toBe('employee');
      expect(await h.fresh((em) => em.count(MailMessage, {}))).toBe(0);
    });

    it('takes an alumnus back as an employee without a leaving mail', async () => {
      const returner = await buildMember(h.em.fork(), { status: 'alumni' });
      await h.command(new ChangeMemberStatusCommand(admin.viewer, returner.member.id, 'employee'));
      expect((await h.query(new GetAccountQuery(returner.member.id))).status).toBe('employee');
      expect(await h.fresh((em) => em.count(MailMessage, {}))).toBe(0);
      const [changed] = await events('membership.member-status-changed');
      expect(changed.payload).toMatchObject({ memberId: returner.member.id, from: 'alumni', to: 'employee', departedOn: null });
    });

    it('does not change an applicant\'s status (that is the application decision)', async () => {
      const applicant = await buildMember(h.em.fork(), { status: 'pending' });
      await expect(h.command(new ChangeMemberStatusCommand(admin.viewer, applicant.member.id, 'employee'))).rejects.toMatchObject({
        code: 'membership.errors.invalidStatusChange',
      });
      expect((await h.query(new GetAccountQuery(applicant.member.id))).status).toBe('pending');
    });
  });

  describe('ChangeMemberRoleCommand', () => {
    it('lets an admin make a member an operator, who can then use the operator tools', async () => {
      const member = await buildMember(h.em.fork(), { status: 'alumni' });
      await expect(h.query(new ListApplicationsQuery(member.viewer, 'submitted'))).rejects.toMatchObject({ status: 403 });

      await h.command(new ChangeMemberRoleCommand(admin.viewer, member.member.id, 'operator'));

      const viewer = await h.command(new AuthenticateCommand(member.email, TEST_PASSWORD));
      expect(viewer.role).toBe('operator');
      await expect(h.query(new ListApplicationsQuery(viewer, 'submitted'))).resolves.toMatchObject({ total: 0 });
    });

    it('refuses an admin changing their own role', async () => {
      await expect(h.command(new ChangeMemberRoleCommand(admin.viewer, admin.member.id, 'member'))).rejects.toMatchObject({
        code: 'membership.errors.notOnYourself',
      });
      expect((await h.query(new GetAccountQuery(admin.member.id))).role).toBe('admin');
    });

    it('is for admins only', async () => {
      await expect(h.command(new ChangeMemberRoleCommand(operator.viewer, operator.member.id, 'admin'))).rejects.toMatchObject({ status: 403 });
      const member = await buildMember(h.em.fork());
      await expect(h.command(new ChangeMemberRoleCommand(operator.viewer, member.member.id, 'operator'))).rejects.toMatchObject({ status: 403 });
      expect((await h.query(new GetAccountQuery(member.member.id))).role).toBe('member');
    });
  });

  describe('SuspendMemberCommand and ReinstateMemberCommand', () => {
    it('suspends a member: sessions end, sign-in is refused, the suspension is published; reinstating restores the former status', async () => {
      const viewers = h.app.get<ViewerLoader>(VIEWER_LOADER);
      const target = await buildMember(h.em.fork(), { status: 'alumni' });

      await h.command(new SuspendMemberCommand(admin.viewer, target.member.id, '規約違反'));

      const suspended = await h.query(new GetMemberForAdminQuery(admin.viewer, target.member.id));
      expect(suspended).toMatchObject({ status: 'suspended', statusBeforeSuspension: 'alumni', suspensionReason: '規約違反' });
      expect(suspended.suspendedAt).toBeInstanceOf(Date);
      expect(await viewers.load(target.member.id, target.viewer.sessionVersion)).toBeNull();
      await expect(h.command(new AuthenticateCommand(target.email, TEST_PASSWORD))).rejects.toMatchObject({ code: 'membership.errors.suspended' });
      expect((await events('membership.member-suspended')).map((e) => e.payload.memberId)).toEqual([target.member.id]);

      await h.command(new ReinstateMemberCommand(admin.viewer, target.member.id));

      const reinstated = await h.query(new GetMemberForAdminQuery(admin.viewer, target.member.id));
      expect(reinstated).toMatchObject({ status: 'alumni', statusBeforeSuspension: null, suspendedAt: null, suspensionReason: null });
      await expect(h.command(new AuthenticateCommand(target.email, TEST_PASSWORD))).resolves.toMatchObject({ status: 'alumni' });
      const [changed] = await events('membership.member-status-changed');
      expect(changed.payload).toMatchObject({ memberId: target.member.id, from: 'suspended', to: 'alumni' });
    });

    it('refuses suspending yourself, reinstating someone who is not suspended, and non-admins', async () => {
      const target = await buildMember(h.em.fork());
      await expect(h.command(new SuspendMemberCommand(admin.viewer, admin.member.id))).rejects.toMatchObject({ code: 'membership.errors.notOnYourself' });
      await expect(h.command(new ReinstateMemberCommand(admin.viewer, target.member.id))).rejects.toMatchObject({ code: 'membership.errors.invalidStatusChange' });
      await expect(h.command(new SuspendMemberCommand(operator.viewer, target.member.id))).rejects.toMatchObject({ status: 403 });
      expect((await h.query(new GetAccountQuery(target.member.id))).status).toBe('alumni');
    });

    it('suspending twice keeps the status to return to', async () => {
      const target = await buildMember(h.em.fork(), { status: 'employee' });
      await h.command(new SuspendMemberCommand(admin.viewer, target.member.id, 'first'));
      await h.command(new SuspendMemberCommand(admin.viewer, target.member.id, 'second'));
      await h.command(new ReinstateMemberCommand(admin.viewer, target.member.id));
      expect((await h.query(new GetAccountQuery(target.member.id))).status).toBe('employee');
    });
  });

  describe('ListMembersQuery', () => {
    let hanako: BuiltMember;
    let kenji: BuiltMember;
    let yuki: BuiltMember;

    beforeEach(async () => {
      hanako = await buildMember(h.em.fork(), { status: 'alumni', email: 'hanako.sato@example.jp', familyName: '佐藤', givenName: '花子', familyNameKana: 'サトウ', givenNameKana: 'ハナコ' });
      kenji = await buildMember(h.em.fork(), { status: 'employee', email: 'k.sato_2@corp.example.jp', familyName: '佐藤', givenName: '健二', familyNameKana: 'サトウ', givenNameKana: 'ケンジ' });
      yuki = await buildMember(h.em.fork(), { status: 'alumni', role: 'operator', email: 'yuki@example.com', familyName: '伊藤', givenName: '由紀', familyNameKana: 'イトウ', givenNameKana: 'ユキ' });
    });

    const ids = (items: { memberId: string }[]) => items.map((i) => i.memberId);
    const search = (filter: ConstructorParameters<typeof ListMembersQuery>[1], page = 1) => h.query(new ListMembersQuery(operator.viewer, filter, page));

    it('finds by kanji name, family name alone or the full name', async () => {
      expect(ids((await search({ q: '佐藤' })).items)).toEqual([kenji.member.id, hanako.member.id]);
      expect(ids((await search({ q: '佐藤花子' })).items)).toEqual([hanako.member.id]);
      expect(ids((await search({ q: '佐藤　花子' })).items)).toEqual([hanako.member.id]);
      expect(ids((await search({ q: '由紀' })).items)).toEqual([yuki.member.id]);
    });

    it('finds by reading, in katakana, half-width katakana or hiragana', async () => {
      expect(ids((await search({ q: 'サトウ' })).items)).toEqual([kenji.member.id, hanako.member.id]);
      expect(ids((await search({ q: 'ｻﾄｳ ﾊﾅｺ' })).items)).toEqual([hanako.member.id]);
      expect(ids((await search({ q: 'イトウユキ' })).items)).toEqual([yuki.member.id]);
      expect(ids((await search({ q: 'さとう はなこ' })).items)).toEqual([hanako.member.id]);
    });

    it('finds by a fragment of the e-mail address, case-insensitively, with wildcards taken literally', async () => {
      expect(ids((await search({ q: 'HANAKO.SATO@' })).items)).toEqual([hanako.member.id]);
      expect(ids((await search({ q: 'example.com' })).items)).toEqual([yuki.member.id]);
      expect(ids((await search({ q: 'sato_2' })).items)).toEqual([kenji.member.id]);
      // "_" and "%" are not wildcards: "sato_" does not match "sato." of hanako.sato@…
      expect(ids((await search({ q: 'sato_' })).items)).toEqual([kenji.member.id]);
      expect((await search({ q: '%' })).total).toBe(0);
    });

    it('filters by status and role, alone and together with words', async () => {
      expect(ids((await search({ status: 'employee' })).items).sort()).toEqual([admin.member.id, operator.member.id, kenji.member.id].sort());
      expect(ids((await search({ role: 'operator' })).items).sort()).toEqual([operator.member.id, yuki.member.id].sort());
      expect(ids((await search({ status: 'alumni', role: 'operator' })).items)).toEqual([yuki.member.id]);
      expect(ids((await search({ q: '佐藤', status: 'alumni' })).items)).toEqual([hanako.member.id]);
      expect((await search({ q: '佐藤', role: 'admin' })).total).toBe(0);
    });

    it('answers a summary row per member, ordered by reading; sign-in addresses for HR admins only', async () => {
      const all = await search({});
      expect(all.items.map((i) => i.kana)).toEqual(['イトウ ユキ', 'ウンエイ シャ', 'カンリ シャ', 'サトウ ケンジ', 'サトウ ハナコ']);
      expect(all.items.every((i) => i.email === null)).toBe(true);
      const forAdmin = await h.query(new ListMembersQuery(admin.viewer, {}, 1));
      expect(forAdmin.items.find((i) => i.memberId === hanako.member.id)).toMatchObject({
        displayName: '佐藤 花子',
        email: 'hanako.sato@example.jp',
        status: 'alumni',
        role: 'member',
        lastDepartment: '営業部',
        departedOn: null,
      });
    });

    it('pages by 30 with the total', async () => {
      for (let i = 0; i < 32; i++) {
        await buildMember(h.em.fork(), { familyName: '山本', givenName: `${i}`, familyNameKana: 'ヤマモト', givenNameKana: `${String(i).padStart(2, '0')}` });
      }
      const first = await search({ q: '山本' });
      expect(first).toMatchObject({ total: 32, page: 1, pageSize: 30, pages: 2 });
      expect(first.items).toHaveLength(30);
      const second = await search({ q: '山本' }, 2);
      expect(second).toMatchObject({ total: 32, page: 2, pages: 2 });
      expect(second.items).toHaveLength(2);
      expect(new Set([...ids(first.items), ...ids(second.items)]).size).toBe(32);

      const all = await search({});
      expect(all.total).toBe(37);
      // A nonsense page number falls back to the first page.
      expect((await search({ q: '山本' }, -3)).page).toBe(1);
    });

    it('is for operators only', async () => {
      await expect(h.query(new ListMembersQuery(hanako.viewer, {}))).rejects.toMatchObject({ status: 403 });
      await expect(h.query(new ListMembersQuery(kenji.viewer, { q: '佐藤' }))).rejects.toMatchObject({ status: 403 });
    });
  });

  describe('ListApplicationsQuery', () => {
    it('lists the waiting applications oldest first', async () => {
      const base = Date.now() - 10 * 24 * 3600_000;
      const applicants: BuiltMember[] = [];
      for (const [i, name] of ['二番', '一番', '三番'].entries()) {
        applicants.push(await buildMember(h.em.fork(), { status: 'pending', familyName: name, givenName: '応募' }));
        // Creation times set explicitly (second applicant the oldest), so the order does not depend on timing.
        const createdAt = new Date(base + [1, 0, 2][i] * 3600_000);
        await h.fresh(async (em) => {
          (await em.findOneOrFail(Member, { id: applicants[i].member.id })).createdAt = createdAt;
          await em.flush();
        });
      }
      await buildMember(h.em.fork(), { status: 'alumni' });

      const page = await h.query(new ListApplicationsQuery(operator.viewer, 'submitted'));
      expect(page.total).toBe(3);
      expect(page.items.map((a) => a.displayName)).toEqual(['一番 応募', '二番 応募', '三番 応募']);
      expect(page.items[0]).toMatchObject({ state: 'submitted', appliedAs: 'alumni', emailVerified: true, kana: 'シケン タロウ' });
      expect(page.items[0].appliedAt.getTime()).toBe(base);

      await expect(h.query(new ListApplicationsQuery(operator.viewer, 'approved'))).resolves.toMatchObject({ total: 0, items: [] });
    });

    it('is for operators only', async () => {
      const member = await buildMember(h.em.fork(), { status: 'employee' });
      await expect(h.query(new ListApplicationsQuery(member.viewer, 'submitted'))).rejects.toMatchObject({ status: 403 });
    });
  });

  describe('CountMembersByStatusQuery', () => {
    it('counts members by status and the applications waiting for a decision', async () => {
      await buildMember(h.em.fork(), { status: 'alumni' });
      await buildMember(h.em.fork(), { status: 'alumni' });
      await buildMember(h.em.fork(), { status: 'alumni' });
      await buildMember(h.em.fork(), { status: 'employee' });
      await buildMember(h.em.fork(), { status: 'pending' });
      await buildMember(h.em.fork(), { status: 'pending' });
      await buildMember(h.em.fork(), { status: 'suspended' });

      expect(await h.query(new CountMembersByStatusQuery(operator.viewer))).toEqual({
        pending: 2,
        employee: 3, // the admin and the operator are employees too
        alumni: 3,
        suspended: 1,
        deleted: 0,
        applications: 2,
      });
    });

    it('answers zeros for the statuses nobody has, and is for operators only', async () => {
      expect(await h.query(new CountMembersByStatusQuery(admin.viewer))).toEqual({ pending: 0, employee: 2, alumni: 0, suspended: 0, deleted: 0, applications: 0 });
      const member = await buildMember(h.em.fork());
      await expect(h.query(new CountMembersByStatusQuery(member.viewer))).rejects.toMatchObject({ status: 403 });
    });
  });
});
