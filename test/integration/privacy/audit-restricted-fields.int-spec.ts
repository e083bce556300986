import { GetMemberProfileQuery, UpdateBasicInfoCommand, UpdateCareerCommand, UpdatePrivacyCommand } from '@modules/membership/contracts';
import { MembershipModule } from '@modules/membership/membership.module';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';
import { buildMember, type BuiltMember } from '../../factories/member.factory';

/** What the profile query says it revealed only because of the viewer's role: what the audit log records. */
describe('restricted fields a profile view reveals (Membership, real PostgreSQL)', () => {
  let h: ModuleHarness;
  let owner: BuiltMember;
  let member: BuiltMember;
  let operator: BuiltMember;
  let admin: BuiltMember;

  beforeAll(async () => {
    h = await bootModules([MembershipModule]);
  });
  beforeEach(async () => {
    await resetDatabase(h.em);
    owner = await buildMember(h.em.fork(), { status: 'alumni', familyName: '田中', givenName: '美咲' });
    member = await buildMember(h.em.fork(), { status: 'employee' });
    operator = await buildMember(h.em.fork(), { status: 'alumni', role: 'operator' });
    admin = await buildMember(h.em.fork(), { status: 'employee', role: 'admin' });
    await h.command(
      new UpdateBasicInfoCommand(owner.member.id, {
        familyName: '田中', givenName: '美咲', familyNameKana: 'タナカ', givenNameKana: 'ミサキ',
        birthDate: '1988-05-01', contactEmail: 'misaki@example.net', contactPhone: '090-1234-5678',
      }),
    );
    await h.command(new UpdateCareerCommand(owner.member.id, { careerAtCompany: [{ department: '人事部', position: '主任', from: '2010-04', to: '2020-03' }], currentCompany: '株式会社みらい' }));
  });
  afterAll(() => h.close());

  const revealed = async (viewer: BuiltMember) => (await h.query(new GetMemberProfileQuery(viewer.viewer, owner.member.id))).restrictedFields;

  it('with the default settings: none to a member, the contact details to an operator, also the birth date to an admin', async () => {
    expect(await revealed(member)).toEqual([]);
    expect(await revealed(operator)).toEqual(['contactEmail', 'contactPhone']);
    expect(await revealed(admin)).toEqual(['contactEmail', 'contactPhone', 'birthDate']);
  });

  it('none on the member\'s own profile', async () => {
    expect(await revealed(owner)).toEqual([]);
  });

  it('follows the member\'s privacy choices', async () => {
    await h.command(new UpdatePrivacyCommand(owner.member.id, { contact: 'members', birthDate: 'private', career: 'operators', currentEmployer: 'private' }));
    expect(await revealed(member)).toEqual([]);
    expect(await revealed(operator)).toEqual(['career']);
    expect(await revealed(admin)).toEqual(['birthDate', 'career', 'currentEmployer']);
  });

  it('lists what the view actually holds', async () => {
    const view = await h.query(new GetMemberProfileQuery(admin.viewer, owner.member.id));
    expect(view.contact).toEqual({ email: 'misaki@example.net', phone: '090-1234-5678' });
    expect(view.birthDate).toBe('1988-05-01');
    const plain = await h.query(new GetMemberProfileQuery(member.viewer, owner.member.id));
    expect(plain.contact).toBeUndefined();
    expect(plain.birthDate).toBeUndefined();
  });

  it('does not list empty fields', async () => {
    await h.command(new UpdateBasicInfoCommand(owner.member.id, { familyName: '田中', givenName: '美咲', familyNameKana: 'タナカ', givenNameKana: 'ミサキ', birthDate: null, contactEmail: null, contactPhone: '03-0000-0000' }));
    expect(await revealed(admin)).toEqual(['contactPhone']);
  });
});
