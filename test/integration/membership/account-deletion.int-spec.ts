import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AuthenticateCommand,
  DeleteAccountCommand,
  GetAccountQuery,
  GetMemberContactQuery,
  GetMemberForAdminQuery,
  GetMemberNamesQuery,
  GetMemberProfileQuery,
  GetProfilePhotoQuery,
  InviteMemberCommand,
  ListInvitationsQuery,
  ListMembersQuery,
  MembershipEvents,
  RequestEmailChangeCommand,
  RequestPasswordResetCommand,
  SearchDirectoryQuery,
  SetProfilePhotoCommand,
  SuspendMemberCommand,
} from '@modules/membership/contracts';
import { MembershipModule } from '@modules/membership/membership.module';
import { AccountToken } from '@modules/membership/domain/account-token.entity';
import { Invitation } from '@modules/membership/domain/invitation.entity';
import { Member } from '@modules/membership/domain/member.entity';
import { RosterEntry } from '@modules/membership/domain/roster-entry.entity';
import { AppConfig } from '@libs/config';
import { ImagesWorkerModule } from '@libs/images/images.module';
import { QueueModule } from '@libs/queue/queue.module';
import { MailMessage } from '@libs/mail/mail-message.entity';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { VIEWER_LOADER, type ViewerLoader } from '@libs/security/viewer-loader';
import { runImageErasures, storedImageIds } from '../../support/images';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';
import { buildMember, TEST_PASSWORD, type BuiltMember } from '../../factories/member.factory';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

interface ProfileRow {
  family_name: string;
  given_name: string;
  family_name_kana: string;
  given_name_kana: string;
  romaji_name: string | null;
  birth_date: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  bio: string | null;
  skills: string[];
  career_at_company: unknown[];
  photo_id: string | null;
  legacy_photo_key: string | null;
  search_name: string;
  search_public: string;
  search_public_tokens: string[];
  search_career_tokens: string[];
  search_employer_tokens: string[];
  skills_norm: string[];
  member_status: string;
}

describe('deleting one’s account (Membership, real PostgreSQL)', () => {
  let h: ModuleHarness;
  let admin: BuiltMember;
  let photoDir: string;

  beforeAll(async () => {
    h = await bootModules([MembershipModule, QueueModule, ImagesWorkerModule]);
    photoDir = join(h.app.get(AppConfig).uploadDir, 'photos');
  });
  beforeEach(async () => {
    await resetDatabase(h.em);
    admin = await buildMember(h.em.fork(), { status: 'employee', role: 'admin', familyName: '管理', givenName: '一郎', familyNameKana: 'カンリ', givenNameKana: 'イチロウ' });
  });
  afterAll(() => h.close());

  const memberRow = (id: string) => h.fresh((em) => em.findOneOrFail(Member, { id }));
  const profileRow = async (id: string) =>
    (await h.fresh((em) => em.execute<ProfileRow[]>('select * from membership.profile where member_id = ?', [id])))[0];

  /** A member with everything filled in: profile, photo, tokens, an invitation, mail, a roster entry. */
  async function richMember(): Promise<BuiltMember & { photoId: string; invitationId: string }> {
    const invited = await h.command(new InviteMemberCommand(admin.viewer, 'hanako.sato@example.jp', 'alumni', 'ja', '佐藤さん、ぜひご参加ください。'));
    const m = await buildMember(h.em.fork(), {
      status: 'alumni',
      email: 'hanako.sato@example.jp',
      familyName: '佐藤',
      givenName: '花子',
      familyNameKana: 'サトウ',
      givenNameKana: 'ハナコ',
      profile: (p) => {
        p.updateBasicInfo({ familyName: '佐藤', givenName: '花子', familyNameKana: 'サトウ', givenNameKana: 'ハナコ', romajiName: 'Hanako Sato', birthDate: '1985-04-01', contactEmail: 'hanako@personal.example.jp', contactPhone: '090-1234-5678', location: '横浜市' });
        p.replaceCareer([{ department: '人事部', position: '課長', from: '2008-04', to: '2020-03' }]);
        p.updateAfterCareer({ currentCompany: '株式会社みらい', currentIndustry: 'IT', currentPosition: 'CTO' });
        p.updateSkillsAndInterests({ skills: ['採用', '労務'], qualifications: [{ name: '社会保険労務士', year: 2015 }], interests: { business: ['HR Tech'], hobby: ['登山'], volunteer: [] }, bio: '人事一筋です。' });
      },
    });
    await h.command(new SetProfilePhotoCommand(m.member.id, PNG));
    const photoId = (await profileRow(m.member.id)).photo_id as string;
    expect(storedImageIds(h.app)).toContain(photoId);
    await h.command(new RequestPasswordResetCommand(m.email, 'ja'));
    await h.command(new RequestEmailChangeCommand(m.member.id, TEST_PASSWORD, 'hanako.new@example.jp'));
    await h.fresh(async (em) => {
      const entry = new RosterEntry('E-1001', m.email, '佐藤', '花子', '00000000-0000-4000-8000-000000000099');
      entry.memberId = m.member.id;
      await em.persist(entry).flush();
    });
    return { ...m, photoId, invitationId: invited.invitationId };
  }

  it('refuses a wrong password and changes nothing', async () => {
    const m = await richMember();
    await expect(h.command(new DeleteAccountCommand(m.member.id, 'not-my-password-1'))).rejects.toMatchObject({
      code: 'membership.errors.wrongPassword',
      field: 'password',
    });
    expect((await memberRow(m.member.id)).status).toBe('alumni');
    expect((await profileRow(m.member.id)).family_name).toBe('佐藤');
    expect(await runImageErasures(h.app)).toEqual([]);
    expect(storedImageIds(h.app)).toContain(m.photoId);
    expect(await h.fresh((em) => em.count(OutboxMessage, { name: MembershipEvents.memberDeleted }))).toBe(0);
  });

  it('erases the account, the profile and its search columns, the photo file, tokens, and the address everywhere', async () => {
    const m = await richMember();
    const before = await memberRow(m.member.id);
    expect(await h.fresh((em) => em.count(AccountToken, { memberId: m.member.id }))).toBe(2);
    expect(await h.fresh((em) => em.count(MailMessage, { to: m.email }))).toBeGreaterThanOrEqual(2);

    await h.command(new DeleteAccountCommand(m.member.id, TEST_PASSWORD));

    const after = await memberRow(m.member.id);
    expect(after).toMatchObject({ email: `deleted-${m.member.id}@deleted.invalid`, status: 'deleted', role: 'member' });
    expect(after.deletedAt).toBeInstanceOf(Date);
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    const [raw] = await h.fresh((em) =>
      em.execute<{ password_hash: string | null; email_verified_at: Date | null; locale: string | null }[]>(
        'select password_hash, email_verified_at, locale from membership.member where id = ?',
        [m.member.id],
      ),
    );
    expect(raw).toEqual({ password_hash: null, email_verified_at: null, locale: null });

    expect(await profileRow(m.member.id)).toMatchObject({
      family_name: '',
      given_name: '',
      family_name_kana: '',
      given_name_kana: '',
      romaji_name: null,
      birth_date: null,
      contact_email: null,
      contact_phone: null,
      bio: null,
      skills: [],
      career_at_company: [],
      photo_id: null,
      legacy_photo_key: null,
      search_name: '',
      search_public: '',
      search_public_tokens: [],
      search_career_tokens: [],
      search_employer_tokens: [],
      skills_norm: [],
      member_status: 'deleted',
    });
    // Every variant of the photo is erased by the job the deletion queued (its payload: the image id only).
    const erasures = await h.fresh((em) => em.find(OutboxMessage, { queue: 'images' }));
    expect(erasures.map((e) => e.payload)).toEqual([{ imageId: m.photoId }]);
    expect(await runImageErasures(h.app)).toEqual([m.photoId]);
    expect(storedImageIds(h.app)).not.toContain(m.photoId);

    expect(await h.fresh((em) => em.count(AccountToken, { memberId: m.member.id }))).toBe(0);
    const invitation = await h.fresh((em) => em.findOneOrFail(Invitation, { id: m.invitationId }));
    expect(invitation.email).toBe(after.email);
    expect(invitation.message ?? null).toBeNull();
    expect(invitation.state).not.toBe('open');
    const [roster] = await h.fresh((em) => em.execute<{ member_id: string | null; email: string }[]>(`select member_id, email from membership.roster_entry where employee_number = 'E-1001'`));
    expect(roster).toEqual({ member_id: null, email: m.email });

    // Copies of mail to the member keep neither address nor text, and unsent ones will not go out.
    expect(await h.fresh((em) => em.count(MailMessage, { to: m.email }))).toBe(0);
    const mails = await h.fresh((em) => em.find(MailMessage, { to: after.email }));
    expect(mails.length).toBeGreaterThanOrEqual(2);
    for (const mail of mails) {
      expect({ subject: mail.subject, text: mail.text, html: mail.html }).toEqual({ subject: '', text: '', html: '' });
      expect(mail.sentAt).toBeInstanceOf(Date);
    }
    // The mail to the new address of the pending e-mail change was not the member's address on file: it stays.
    expect(await h.fresh((em) => em.count(MailMessage, { to: 'hanako.new@example.jp' }))).toBe(1);
  });

  it('removes a photo still stored as uploaded before the image pipeline', async () => {
    const m = await buildMember(h.em.fork(), { status: 'alumni' });
    const legacyKey = `${m.member.id}-0123456789abcdef.jpg`;
    mkdirSync(photoDir, { recursive: true });
    writeFileSync(join(photoDir, legacyKey), 'old photo bytes');
    await h.fresh((em) => em.execute('update membership.profile set legacy_photo_key = ? where member_id = ?', [legacyKey, m.member.id]));

    await h.command(new DeleteAccountCommand(m.member.id, TEST_PASSWORD));

    expect(existsSync(join(photoDir, legacyKey))).toBe(false);
    expect((await profileRow(m.member.id)).legacy_photo_key).toBeNull();
  });

  it('publishes membership.member-deleted with the id only', async () => {
    const m = await buildMember(h.em.fork(), { status: 'employee' });
    await h.command(new DeleteAccountCommand(m.member.id, TEST_PASSWORD));
    const events = await h.fresh((em) => em.find(OutboxMessage, { name: MembershipEvents.memberDeleted }));
    expect(events).toHaveLength(1);
    expect(Object.keys(events[0].payload).sort()).toEqual(['eventId', 'memberId', 'occurredAt', 'type']);
    expect(events[0].payload).toMatchObject({ type: 'membership.member-deleted', memberId: m.member.id });
  });

  it('ends every session: the viewer loader refuses the old session and no sign-in works any more', async () => {
    const m = await buildMember(h.em.fork(), { status: 'alumni' });
    const loader = h.app.get<ViewerLoader>(VIEWER_LOADER);
    expect(await loader.load(m.member.id, m.viewer.sessionVersion)).not.toBeNull();

    await h.command(new DeleteAccountCommand(m.member.id, TEST_PASSWORD));

    expect(await loader.load(m.member.id, m.viewer.sessionVersion)).toBeNull();
    expect(await loader.load(m.member.id, (await memberRow(m.member.id)).sessionVersion)).toBeNull();
    await expect(h.command(new AuthenticateCommand(m.email, TEST_PASSWORD))).rejects.toMatchObject({ code: 'membership.errors.invalidCredentials' });
    await expect(h.command(new AuthenticateCommand(`deleted-${m.member.id}@deleted.invalid`, TEST_PASSWORD))).rejects.toMatchObject({ code: 'membership.errors.invalidCredentials' });
    // No reset link is issued for the placeholder address.
    await h.command(new RequestPasswordResetCommand(`deleted-${m.member.id}@deleted.invalid`, 'ja'));
    expect(await h.fresh((em) => em.count(AccountToken, { memberId: m.member.id }))).toBe(0);
    // Deleting again is refused.
    await expect(h.command(new DeleteAccountCommand(m.member.id, TEST_PASSWORD))).rejects.toMatchObject({ status: 404 });
  });

  it('takes the member out of the directory, and shows them as 退会したメンバー / "Deleted member" where names appear', async () => {
    const m = await buildMember(h.em.fork(), { status: 'alumni', role: 'operator', familyName: '削除', givenName: '予定', familyNameKana: 'サクジョ', givenNameKana: 'ヨテイ' });
    const reader = await buildMember(h.em.fork(), { status: 'employee' });
    const found = async () => (await h.query(new SearchDirectoryQuery(reader.viewer, { q: '削除' }))).items.map((i) => i.memberId);
    expect(await found()).toEqual([m.member.id]);
    await h.command(new InviteMemberCommand(m.viewer, 'friend@example.jp', 'alumni', 'ja'));

    await h.command(new DeleteAccountCommand(m.member.id, TEST_PASSWORD));

    expect(await found()).toEqual([]);
    expect((await h.query(new SearchDirectoryQuery(reader.viewer, {}))).items.map((i) => i.memberId)).not.toContain(m.member.id);
    for (const viewer of [reader.viewer, admin.viewer]) {
      await expect(h.query(new GetMemberProfileQuery(viewer, m.member.id))).rejects.toMatchObject({ status: 404 });
      expect(await h.query(new GetProfilePhotoQuery(viewer, m.member.id))).toBeNull();
    }
    expect(await h.query(new GetMemberContactQuery(m.member.id))).toBeNull();
    expect((await h.query(new GetAccountQuery(m.member.id))).displayName).toBe('退会したメンバー');

    const english = { ...admin.viewer, locale: 'en' as const };
    const list = await h.query(new ListMembersQuery(english, { status: 'deleted' }));
    expect(list.items.map((i) => [i.memberId, i.displayName, i.kana])).toEqual([[m.member.id, 'Deleted member', '']]);
    expect((await h.query(new GetMemberForAdminQuery({ ...admin.viewer, locale: 'ja' }, m.member.id))).displayName).toBe('退会したメンバー');
    const invitations = await h.query(new ListInvitationsQuery(english));
    expect(invitations.items.find((i) => i.email === 'friend@example.jp')?.invitedByName).toBe('Deleted member');

    const names = await h.query(new GetMemberNamesQuery([m.member.id, reader.member.id, 'not-an-id'], 'en'));
    expect(names).toEqual([
      { memberId: m.member.id, displayName: 'Deleted member', displayNameKana: '', deleted: true, status: 'deleted', role: 'member' },
      { memberId: reader.member.id, displayName: '試験 太郎', displayNameKana: 'シケン タロウ', deleted: false, status: 'employee', role: 'member' },
    ]);
    expect((await h.query(new GetMemberNamesQuery([m.member.id], 'ja')))[0].displayName).toBe('退会したメンバー');
    // An admin cannot suspend a deleted account (reinstating it would bring it back).
    await expect(h.command(new SuspendMemberCommand(admin.viewer, m.member.id))).rejects.toMatchObject({ code: 'membership.errors.invalidStatusChange' });
  });

  it('lets a pending applicant delete their application and account', async () => {
    const applicant = await buildMember(h.em.fork(), { status: 'pending' });
    await h.command(new DeleteAccountCommand(applicant.member.id, TEST_PASSWORD));
    const after = await memberRow(applicant.member.id);
    expect([after.status, after.applicationState ?? null]).toEqual(['deleted', null]);
  });

  describe('the last HR admin', () => {
    it('cannot delete their account while no other admin can sign in', async () => {
      const suspendedAdmin = await buildMember(h.em.fork(), { status: 'suspended', role: 'admin' });
      expect(suspendedAdmin.member.role).toBe('admin');
      await expect(h.command(new DeleteAccountCommand(admin.member.id, TEST_PASSWORD))).rejects.toMatchObject({
        code: 'membership.personalData.errors.lastAdmin',
        status: 409,
      });
      expect((await memberRow(admin.member.id)).status).toBe('employee');
    });

    it('can once another admin exists', async () => {
      await buildMember(h.em.fork(), { status: 'alumni', role: 'admin' });
      await h.command(new DeleteAccountCommand(admin.member.id, TEST_PASSWORD));
      expect((await memberRow(admin.member.id)).status).toBe('deleted');
    });

    it('of two admins deleting at the same moment, exactly one succeeds', async () => {
      const other = await buildMember(h.em.fork(), { status: 'alumni', role: 'admin' });
      const results = await Promise.allSettled([
        h.command(new DeleteAccountCommand(admin.member.id, TEST_PASSWORD)),
        h.command(new DeleteAccountCommand(other.member.id, TEST_PASSWORD)),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(rejected?.reason).toMatchObject({ code: 'membership.personalData.errors.lastAdmin' });
      const statuses = [(await memberRow(admin.member.id)).status, (await memberRow(other.member.id)).status];
      expect(statuses.filter((s) => s === 'deleted')).toHaveLength(1);
      expect(await h.fresh((em) => em.count(Member, { role: 'admin', status: { $in: ['employee', 'alumni'] } }))).toBe(1);
    });
  });
});
