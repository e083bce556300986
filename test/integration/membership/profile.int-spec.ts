import { crc32, deflateSync } from 'node:zlib';
import {
  GetMemberProfileQuery,
  GetProfileForEditQuery,
  GetProfilePhotoQuery,
  SetProfilePhotoCommand,
  UpdateBasicInfoCommand,
  UpdateCareerCommand,
  UpdatePrivacyCommand,
  UpdateSkillsAndInterestsCommand,
  type MemberProfileView,
} from '@modules/membership/contracts';
import { MembershipModule } from '@modules/membership/membership.module';
import { ImagePurposes, ImageService, PendingImage } from '@libs/images';
import { ImagesWorkerModule } from '@libs/images/images.module';
import { ImagesProcessor } from '@libs/images/images.processor';
import { QueueModule } from '@libs/queue/queue.module';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import type { Viewer } from '@libs/security/access-policy';
import { runImageErasures, storedFilesOf, storedImageIds } from '../../support/images';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';
import { buildMember, type BuiltMember } from '../../factories/member.factory';

/** A real 1×1 PNG (signature, IHDR, IDAT, IEND with their CRCs), built here rather than read from a fixture. */
function tinyPng(rgb: [number, number, number] = [255, 0, 0]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0); // width
  ihdr.writeUInt32BE(1, 4); // height
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  const scanline = Buffer.from([0, ...rgb]); // filter byte + one pixel
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(scanline)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('profiles (Membership, real PostgreSQL)', () => {
  let h: ModuleHarness;

  beforeAll(async () => {
    h = await bootModules([MembershipModule, QueueModule, ImagesWorkerModule]);
  });
  beforeEach(() => resetDatabase(h.em));
  afterAll(() => h.close());

  const profileOf = (memberId: string) => h.query(new GetProfileForEditQuery(memberId));

  describe('editing', () => {
    it('UpdateBasicInfoCommand persists the basic information as typed (trimmed), hiragana readings in katakana', async () => {
      const me = await buildMember(h.em.fork());
      await h.command(
        new UpdateBasicInfoCommand(me.member.id, {
          familyName: ' 高橋 ',
          givenName: '健太',
          familyNameKana: 'たかはし',
          givenNameKana: 'ｹﾝﾀ',
          romajiName: 'Kenta Takahashi',
          birthDate: '1985-04-12',
          lastDepartment: '開発部',
          lastPosition: '課長',
          contactEmail: 'kenta@example.com',
          contactPhone: '０９０-１２３４-５６７８',
          location: '大阪府',
          joinedYear: 2008,
          leftYear: 2019,
        }),
      );

      expect(await profileOf(me.member.id)).toMatchObject({
        familyName: '高橋',
        givenName: '健太',
        familyNameKana: 'タカハシ',
        givenNameKana: 'ｹﾝﾀ',
        romajiName: 'Kenta Takahashi',
        birthDate: '1985-04-12',
        lastDepartment: '開発部',
        lastPosition: '課長',
        contactEmail: 'kenta@example.com',
        contactPhone: '０９０-１２３４-５６７８',
        location: '大阪府',
        joinedYear: 2008,
        leftYear: 2019,
      });
      const events = await h.fresh((em) => em.find(OutboxMessage, { name: 'membership.profile-updated' }));
      expect(events.map((e) => e.payload.memberId)).toEqual([me.member.id]);
    });

    it('UpdateBasicInfoCommand clears optional fields sent empty and refuses impossible dates', async () => {
      const me = await buildMember(h.em.fork());
      const names = { familyName: '高橋', givenName: '健太', familyNameKana: 'タカハシ', givenNameKana: 'ケンタ' };
      await h.command(new UpdateBasicInfoCommand(me.member.id, { ...names, location: '東京都', lastDepartment: '開発部' }));
      await h.command(new UpdateBasicInfoCommand(me.member.id, { ...names, location: '  ', lastDepartment: null }));
      expect(await profileOf(me.member.id)).toMatchObject({ location: null, lastDepartment: null });

      await expect(h.command(new UpdateBasicInfoCommand(me.member.id, { ...names, joinedYear: 2015, leftYear: 2010 }))).rejects.toMatchObject({
        code: 'validation.dateRange',
        field: 'leftYear',
      });
      await expect(h.command(new UpdateBasicInfoCommand(me.member.id, { ...names, birthDate: '2999-01-01' }))).rejects.toMatchObject({
        code: 'validation.dateRange',
        field: 'birthDate',
      });
      expect((await profileOf(me.member.id)).birthDate).toBeNull();
    });

    it('UpdateBasicInfoCommand checks the years against the stored ones, and clears a year sent as null', async () => {
      const me = await buildMember(h.em.fork());
      const names = { familyName: '高橋', givenName: '健太', familyNameKana: 'タカハシ', givenNameKana: 'ケンタ' };
      await h.command(new UpdateBasicInfoCommand(me.member.id, { ...names, joinedYear: 2015 }));
      await expect(h.command(new UpdateBasicInfoCommand(me.member.id, { ...names, leftYear: 2010 }))).rejects.toMatchObject({
        code: 'validation.dateRange',
        field: 'leftYear',
      });
      await h.command(new UpdateBasicInfoCommand(me.member.id, { ...names, leftYear: 2020 }));
      expect(await profileOf(me.member.id)).toMatchObject({ joinedYear: 2015, leftYear: 2020 });
      await h.command(new UpdateBasicInfoCommand(me.member.id, { ...names, joinedYear: null }));
      expect(await profileOf(me.member.id)).toMatchObject({ joinedYear: null, leftYear: 2020 });
    });

    it('UpdateCareerCommand persists the career oldest first and the current employer', async () => {
      const me = await buildMember(h.em.fork());
      await h.command(
        new UpdateCareerCommand(me.member.id, {
          careerAtCompany: [
            { department: '営業部', position: '主任', from: '2012-04', to: null },
            { department: '総務部', position: '担当', from: '2008-04', to: '2012-03' },
          ],
          currentCompany: '株式会社みらい',
          currentIndustry: 'IT',
          currentPosition: 'CTO',
        }),
      );
      expect(await profileOf(me.member.id)).toMatchObject({
        careerAtCompany: [
          { department: '総務部', position: '担当', from: '2008-04', to: '2012-03' },
          { department: '営業部', position: '主任', from: '2012-04', to: null },
        ],
        currentCompany: '株式会社みらい',
        currentIndustry: 'IT',
        currentPosition: 'CTO',
      });

      await expect(
        h.command(new UpdateCareerCommand(me.member.id, { careerAtCompany: [{ department: 'x', position: 'y', from: '2020-05', to: '2019-01' }] })),
      ).rejects.toMatchObject({ code: 'validation.dateRange', field: 'career.0.to' });
      expect((await profileOf(me.member.id)).careerAtCompany).toHaveLength(2);
    });

    it('UpdateSkillsAndInterestsCommand persists tags without duplicates, the bio and the open-to flags', async () => {
      const me = await buildMember(h.em.fork());
      await h.command(
        new UpdateSkillsAndInterestsCommand(me.member.id, {
          skills: ['ＴｙｐｅＳｃｒｉｐｔ', 'TypeScript', ' 経理 ', ''],
          qualifications: [
            { name: '簿記2級', year: 2010 },
            { name: '  ', year: 2011 },
          ],
          interests: { business: ['DX'], hobby: ['登山', '登山'], volunteer: [] },
          bio: '  よろしくお願いします。  ',
          openToComeback: true,
          openToOffers: false,
          openToSideWork: true,
        }),
      );
      expect(await profileOf(me.member.id)).toMatchObject({
        // the first of two tags that differ only in width is kept, as typed
        skills: ['ＴｙｐｅＳｃｒｉｐｔ', '経理'],
        qualifications: [{ name: '簿記2級', year: 2010 }],
        interests: { business: ['DX'], hobby: ['登山'], volunteer: [] },
        bio: 'よろしくお願いします。',
        openToComeback: true,
        openToOffers: false,
        openToSideWork: true,
      });
    });

    it('UpdatePrivacyCommand persists the choices', async () => {
      const me = await buildMember(h.em.fork());
      expect((await profileOf(me.member.id)).privacy).toEqual({ contact: 'operators', birthDate: 'private', career: 'members', currentEmployer: 'members' });
      const settings = { contact: 'members', birthDate: 'employees', career: 'operators', currentEmployer: 'private' } as const;
      await h.command(new UpdatePrivacyCommand(me.member.id, settings));
      expect((await profileOf(me.member.id)).privacy).toEqual(settings);
    });

    it('refuses to edit a profile that does not exist', async () => {
      await expect(
        h.command(new UpdatePrivacyCommand('00000000-0000-4000-8000-000000000000', { contact: 'members', birthDate: 'members', career: 'members', currentEmployer: 'members' })),
      ).rejects.toMatchObject({ code: 'membership.errors.memberNotFound', status: 404 });
    });
  });

  describe('GetMemberProfileQuery filters by privacy for each viewer', () => {
    let owner: BuiltMember;
    let alumnus: BuiltMember;
    let employee: BuiltMember;
    let operator: BuiltMember;
    let alumnusOperator: BuiltMember;
    let admin: BuiltMember;

    beforeEach(async () => {
      owner = await buildMember(h.em.fork(), {
        status: 'alumni',
        privacy: { contact: 'operators', birthDate: 'private', career: 'employees', currentEmployer: 'members' },
        profile: (p) => {
          p.updateBasicInfo({ ...p, contactEmail: 'owner@example.com', contactPhone: '03-0000-0000', birthDate: '1980-01-02' });
          p.replaceCareer([{ department: '営業部', position: '部長', from: '2000-04', to: '2020-03' }]);
          p.updateAfterCareer({ currentCompany: '独立', currentIndustry: 'コンサル', currentPosition: '代表' });
        },
      });
      alumnus = await buildMember(h.em.fork(), { status: 'alumni' });
      employee = await buildMember(h.em.fork(), { status: 'employee' });
      operator = await buildMember(h.em.fork(), { status: 'employee', role: 'operator' });
      alumnusOperator = await buildMember(h.em.fork(), { status: 'alumni', role: 'operator' });
      admin = await buildMember(h.em.fork(), { status: 'employee', role: 'admin' });
    });

    const seenBy = (viewer: Viewer) => h.query(new GetMemberProfileQuery(viewer, owner.member.id));
    const groups = (view: MemberProfileView) => ({
      contact: view.contact,
      birthDate: view.birthDate,
      career: view.career,
      currentEmployer: view.currentEmployer,
    });

    const contact = { email: 'owner@example.com', phone: '03-0000-0000' };
    const career = [{ department: '営業部', position: '部長', from: '2000-04', to: '2020-03' }];
    const currentEmployer = { company: '独立', industry: 'コンサル', position: '代表' };

    it('an alumnus sees only what is open to every member', async () => {
      const view = await seenBy(alumnus.viewer);
      expect(groups(view)).toEqual({ contact: undefined, birthDate: undefined, career: undefined, currentEmployer });
      expect(view.hidden).toEqual(['contact', 'birthDate', 'career']);
      expect(view.isSelf).toBe(false);
      expect(view).toMatchObject({ familyName: '試験', givenName: '太郎', status: 'alumni' });
    });

    it('an employee also sees what is open to employees, but not what is for operators', async () => {
      const view = await seenBy(employee.viewer);
      expect(groups(view)).toEqual({ contact: undefined, birthDate: undefined, career, currentEmployer });
      expect(view.hidden).toEqual(['contact', 'birthDate']);
    });

    it('an operator sees the contact details set to operators, but not what is private', async () => {
      const view = await seenBy(operator.viewer);
      expect(groups(view)).toEqual({ contact, birthDate: undefined, career, currentEmployer });
      expect(view.hidden).toEqual(['birthDate']);
      // An operator who has left the company still counts as an operator.
      expect(groups(await seenBy(alumnusOperator.viewer))).toEqual({ contact, birthDate: undefined, career, currentEmployer });
    });

    it('an admin sees even what is private', async () => {
      const view = await seenBy(admin.viewer);
      expect(groups(view)).toEqual({ contact, birthDate: '1980-01-02', career, currentEmployer });
      expect(view.hidden).toEqual([]);
    });

    it('the owner sees everything on their own profile', async () => {
      const view = await seenBy(owner.viewer);
      expect(groups(view)).toEqual({ contact, birthDate: '1980-01-02', career, currentEmployer });
      expect(view.hidden).toEqual([]);
      expect(view.isSelf).toBe(true);
    });

    it('follows a change of privacy at once', async () => {
      await h.command(new UpdatePrivacyCommand(owner.member.id, { contact: 'members', birthDate: 'members', career: 'private', currentEmployer: 'operators' }));
      const byAlumnus = await seenBy(alumnus.viewer);
      expect(groups(byAlumnus)).toEqual({ contact, birthDate: '1980-01-02', career: undefined, currentEmployer: undefined });
      const byOperator = await seenBy(operator.viewer);
      expect(groups(byOperator)).toEqual({ contact, birthDate: '1980-01-02', career: undefined, currentEmployer });
    });

    it('hides an applicant\'s profile from ordinary members but shows it to operators and to the applicant', async () => {
      const applicant = await buildMember(h.em.fork(), { status: 'pending', familyName: '応募', givenName: '者' });
      for (const viewer of [alumnus.viewer, employee.viewer]) {
        await expect(h.query(new GetMemberProfileQuery(viewer, applicant.member.id))).rejects.toMatchObject({
          code: 'membership.errors.memberNotFound',
          status: 404,
        });
      }
      await expect(h.query(new GetMemberProfileQuery(operator.viewer, applicant.member.id))).resolves.toMatchObject({
        status: 'pending',
        familyName: '応募',
      });
      await expect(h.query(new GetMemberProfileQuery(applicant.viewer, applicant.member.id))).resolves.toMatchObject({ isSelf: true });
    });

    it('hides a suspended member\'s profile from ordinary members', async () => {
      const suspended = await buildMember(h.em.fork(), { status: 'suspended' });
      await expect(h.query(new GetMemberProfileQuery(alumnus.viewer, suspended.member.id))).rejects.toMatchObject({ status: 404 });
      await expect(h.query(new GetMemberProfileQuery(admin.viewer, suspended.member.id))).resolves.toMatchObject({ status: 'suspended' });
    });

    it('answers not found for an unknown member', async () => {
      await expect(h.query(new GetMemberProfileQuery(admin.viewer, '00000000-0000-4000-8000-000000000000'))).rejects.toMatchObject({ status: 404 });
      await expect(h.query(new GetMemberProfileQuery(admin.viewer, 'nonsense'))).rejects.toMatchObject({ status: 404 });
    });
  });

  describe('SetProfilePhotoCommand', () => {
    const newImages = (before: string[]) => storedImageIds(h.app).filter((id) => !before.includes(id));

    it('re-encodes a PNG into the profile photo variants under a new random id, and publishes the profile change', async () => {
      const me = await buildMember(h.em.fork());
      const before = storedImageIds(h.app);
      await h.command(new SetProfilePhotoCommand(me.member.id, tinyPng()));

      const [imageId] = newImages(before);
      expect(newImages(before)).toHaveLength(1);
      expect(imageId).toMatch(/^[0-9a-f]{32}$/);
      expect(imageId).not.toContain(me.member.id.replace(/-/g, '').slice(0, 8));
      expect(storedFilesOf(h.app, imageId)).toEqual(['160.webp', '480.webp', '64.webp', 'full.webp']);

      expect(await profileOf(me.member.id)).toMatchObject({ hasPhoto: true, photoId: imageId });
      expect(await h.query(new GetProfilePhotoQuery(me.viewer, me.member.id))).toEqual({ imageId });
      const other = await buildMember(h.em.fork());
      expect(await h.query(new GetMemberProfileQuery(other.viewer, me.member.id))).toMatchObject({ hasPhoto: true, photoId: imageId });
      const events = await h.fresh((em) => em.find(OutboxMessage, { name: 'membership.profile-updated' }));
      expect(events.map((e) => e.payload.memberId)).toContain(me.member.id);
    });

    it('refuses a text file whatever it was called, by its content', async () => {
      const me = await buildMember(h.em.fork());
      const before = storedImageIds(h.app);
      const text = Buffer.from('これは写真ではありません。\nJust a text file renamed to photo.png\n', 'utf8');
      await expect(h.command(new SetProfilePhotoCommand(me.member.id, text))).rejects.toMatchObject({
        code: 'images.errors.type',
        field: 'photo',
        status: 400,
      });
      expect(newImages(before)).toEqual([]);
      expect((await profileOf(me.member.id)).hasPhoto).toBe(false);
    });

    it('refuses a file over 10 MB, even a genuine image', async () => {
      const me = await buildMember(h.em.fork());
      const before = storedImageIds(h.app);
      const png = tinyPng();
      const big = Buffer.concat([png, Buffer.alloc(10 * 1024 * 1024 + 1 - png.length)]);
      await expect(h.command(new SetProfilePhotoCommand(me.member.id, big))).rejects.toMatchObject({
        code: 'images.errors.size',
        status: 413,
        params: { mb: 10 },
      });
      expect(newImages(before)).toEqual([]);
    });

    it('refuses an empty upload', async () => {
      const me = await buildMember(h.em.fork());
      await expect(h.command(new SetProfilePhotoCommand(me.member.id, Buffer.alloc(0)))).rejects.toMatchObject({ code: 'images.errors.missing' });
    });

    it('replaces the photo under a new id; the old files go once the erase job runs after the commit; then removes it', async () => {
      const me = await buildMember(h.em.fork());
      await h.command(new SetProfilePhotoCommand(me.member.id, tinyPng([255, 0, 0])));
      const first = (await profileOf(me.member.id)).photoId as string;

      await h.command(new SetProfilePhotoCommand(me.member.id, tinyPng([0, 0, 255])));
      const second = (await profileOf(me.member.id)).photoId as string;
      expect(second).not.toBe(first);
      expect(await h.query(new GetProfilePhotoQuery(me.viewer, me.member.id))).toEqual({ imageId: second });
      // Released in the same transaction; erased by the job.
      expect(storedImageIds(h.app)).toContain(first);
      expect(await runImageErasures(h.app)).toContain(first);
      expect(storedImageIds(h.app)).not.toContain(first);
      expect(storedImageIds(h.app)).toContain(second);
      expect(await runImageErasures(h.app)).toEqual([]);

      await h.command(new SetProfilePhotoCommand(me.member.id, null));
      expect(await runImageErasures(h.app)).toEqual([second]);
      expect(storedImageIds(h.app)).not.toContain(second);
      expect(await profileOf(me.member.id)).toMatchObject({ hasPhoto: false, photoId: null });
      expect(await h.query(new GetProfilePhotoQuery(me.viewer, me.member.id))).toBeNull();
    });

    it('keeps the current photo when a replacement is refused', async () => {
      const me = await buildMember(h.em.fork());
      await h.command(new SetProfilePhotoCommand(me.member.id, tinyPng()));
      const before = storedImageIds(h.app);
      const photoId = (await profileOf(me.member.id)).photoId;
      await expect(h.command(new SetProfilePhotoCommand(me.member.id, Buffer.from('GIF89a not supported')))).rejects.toMatchObject({
        code: 'images.errors.type',
      });
      expect(storedImageIds(h.app)).toEqual(before);
      expect(await profileOf(me.member.id)).toMatchObject({ hasPhoto: true, photoId });
    });

    it('leaves nothing pending once the change has committed; an image never attached (a failed request) is erased by the hourly upkeep', async () => {
      const me = await buildMember(h.em.fork());
      await h.command(new SetProfilePhotoCommand(me.member.id, tinyPng()));
      const photoId = (await profileOf(me.member.id)).photoId as string;
      const pending = () => h.fresh((em) => em.find(PendingImage, {}));
      expect(await pending()).toEqual([]);

      // As if the process had stopped between storing the files and committing the profile.
      const orphan = await h.app.get(ImageService).ingest(tinyPng([0, 255, 0]), { purpose: ImagePurposes.profilePhoto });
      expect((await pending()).map((p) => [p.imageId, p.purpose])).toEqual([[orphan.id, 'profile-photo']]);
      const upkeep = h.app.get(ImagesProcessor);
      expect(await upkeep.sweep()).toBe(0);
      expect(storedImageIds(h.app)).toContain(orphan.id);

      await h.fresh((em) => em.execute(`update platform.pending_image set created_at = now() - interval '2 hours'`));
      expect(await upkeep.sweep()).toBe(1);
      expect(storedImageIds(h.app)).not.toContain(orphan.id);
      expect(storedImageIds(h.app)).toContain(photoId);
      expect(await pending()).toEqual([]);
      expect(await upkeep.sweep()).toBe(0);
    });

    it('does not serve an applicant\'s photo to ordinary members', async () => {
      const applicant = await buildMember(h.em.fork(), { status: 'pending' });
      const alumnus = await buildMember(h.em.fork());
      const operator = await buildMember(h.em.fork(), { status: 'employee', role: 'operator' });
      await h.command(new SetProfilePhotoCommand(applicant.member.id, tinyPng()));
      expect(await h.query(new GetProfilePhotoQuery(alumnus.viewer, applicant.member.id))).toBeNull();
      expect(await h.query(new GetProfilePhotoQuery(operator.viewer, applicant.member.id))).toEqual({ imageId: expect.stringMatching(/^[0-9a-f]{32}$/) });
      expect(await h.query(new GetProfilePhotoQuery(operator.viewer, 'not-a-member'))).toBeNull();
    });
  });
});
