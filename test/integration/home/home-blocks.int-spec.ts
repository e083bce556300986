import { CancelRegistrationCommand, GetHomeEventsQuery, RegisterForEventCommand } from '@modules/events/contracts';
import { EventsModule } from '@modules/events/events.module';
import { GetProfileCompletenessQuery, ListRecentMembersNearQuery } from '@modules/membership/contracts';
import { Profile } from '@modules/membership/domain/profile.entity';
import { MembershipModule } from '@modules/membership/membership.module';
import { GetHomeNotificationsQuery } from '@modules/notifications/contracts';
import { Notification } from '@modules/notifications/domain/notification.entity';
import { NotificationsModule } from '@modules/notifications/notifications.module';
import { buildEvent } from '../../factories/event.factory';
import { buildMember, type MemberSpec } from '../../factories/member.factory';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';

const DAY = 24 * 3600 * 1000;

/** Each module's home-page query, on real PostgreSQL. */
describe('home page blocks (Events, Notifications, Membership queries)', () => {
  let h: ModuleHarness;

  beforeAll(async () => {
    h = await bootModules([EventsModule, MembershipModule, NotificationsModule]);
  });
  beforeEach(() => resetDatabase(h.em));
  afterAll(() => h.close());

  const member = (spec: MemberSpec & { dept?: string; joined?: number | null; left?: number | null; joinedDaysAgo?: number }) =>
    buildMember(h.em.fork(), {
      ...spec,
      profile: (p: Profile) => {
        p.updateBasicInfo({ familyName: p.familyName, givenName: p.givenName, familyNameKana: p.familyNameKana, givenNameKana: p.givenNameKana, lastDepartment: spec.dept ?? '営業部', joinedYear: spec.joined ?? null, leftYear: spec.left ?? null });
        if (spec.joinedDaysAgo !== undefined) p.createdAt = new Date(Date.now() - spec.joinedDaysAgo * DAY);
        spec.profile?.(p);
      },
    });

  describe('events', () => {
    it('lists the next events each status may see, never drafts, past or cancelled ones, soonest first', async () => {
      const alumnus = await member({ status: 'alumni' });
      const employee = await member({ status: 'employee' });
      const operator = await member({ status: 'alumni', role: 'operator' });
      await buildEvent(h.em.fork(), { title: 'past', inDays: -3 });
      await buildEvent(h.em.fork(), { title: 'employees', visibility: 'employees', inDays: 2 });
      await buildEvent(h.em.fork(), { title: 'alumni', visibility: 'alumni', inDays: 3 });
      await buildEvent(h.em.fork(), { title: 'draft', state: 'draft', inDays: 1 });
      await buildEvent(h.em.fork(), { title: 'cancelled', state: 'cancelled', inDays: 1 });
      await buildEvent(h.em.fork(), { title: 'public', visibility: 'public', inDays: 4 });
      await buildEvent(h.em.fork(), { title: 'members-late', visibility: 'members', inDays: 9 });
      await buildEvent(h.em.fork(), { title: 'members-later', visibility: 'members', inDays: 10 });

      const titles = async (v: typeof alumnus) => (await h.query(new GetHomeEventsQuery(v.viewer))).upcoming.map((e) => e.title);
      expect(await titles(alumnus)).toEqual(['alumni', 'public', 'members-late']);
      expect(await titles(employee)).toEqual(['employees', 'public', 'members-late']);
      expect(await titles(operator)).toEqual(['employees', 'alumni', 'public']);
    });

    it("marks the viewer's own registrations with their waitlist place and lists them apart, until the event ends", async () => {
      const [a, b, c] = [await member({ status: 'alumni' }), await member({ status: 'alumni' }), await member({ status: 'alumni' })];
      const tour = await buildEvent(h.em.fork(), { title: 'tour', capacity: 1, inDays: 5 });
      const later = await buildEvent(h.em.fork(), { title: 'later', inDays: 40 });
      const running = await buildEvent(h.em.fork(), { title: 'running', startsAt: new Date(Date.now() - 3600 * 1000), hours: 3 });
      await h.command(new RegisterForEventCommand(a.viewer, tour.id));
      await h.command(new RegisterForEventCommand(b.viewer, tour.id));
      await h.command(new RegisterForEventCommand(c.viewer, tour.id));
      await h.command(new RegisterForEventCommand(c.viewer, later.id));
      await h.fresh((em) => em.execute(`insert into events.registration (id, event_id, member_id, state, companions, seq, registered_at, confirmed_at)
        values (gen_random_uuid(), ?, ?, 'confirmed', 0, nextval('events.registration_seq'), now(), now())`, [running.id, c.member.id]));

      const forC = await h.query(new GetHomeEventsQuery(c.viewer));
      expect(forC.mine.map((e) => [e.title, e.myState, e.waitlistPosition])).toEqual([
        ['running', 'confirmed', null],
        ['tour', 'waitlisted', 2],
        ['later', 'confirmed', null],
      ]);
      expect(forC.upcoming.find((e) => e.title === 'tour')).toMatchObject({ myState: 'waitlisted', waitlistPosition: 2, seatsLeft: 0 });
      expect(forC.upcoming.map((e) => e.title)).not.toContain('running');

      await h.command(new CancelRegistrationCommand(b.viewer, tour.id));
      expect((await h.query(new GetHomeEventsQuery(c.viewer))).mine.find((e) => e.title === 'tour')).toMatchObject({ myState: 'waitlisted', waitlistPosition: 1 });
      expect((await h.query(new GetHomeEventsQuery(b.viewer))).mine).toEqual([]);
      expect((await h.query(new GetHomeEventsQuery(a.viewer))).upcoming[0]).toMatchObject({ title: 'tour', myState: 'confirmed', waitlistPosition: null });
    });

    it('hides a registered event the viewer may no longer see (an employee who became an alumnus)', async () => {
      const m = await member({ status: 'employee' });
      const e = await buildEvent(h.em.fork(), { title: 'staff only', visibility: 'employees' });
      await h.command(new RegisterForEventCommand(m.viewer, e.id));
      expect((await h.query(new GetHomeEventsQuery(m.viewer))).mine).toHaveLength(1);
      expect(await h.query(new GetHomeEventsQuery({ ...m.viewer, status: 'alumni' }))).toEqual({ upcoming: [], mine: [] });
    });
  });

  describe('notifications', () => {
    it('answers the latest three unread notifications of the viewer only, and the unread count', async () => {
      const [m, other] = [await member({}), await member({})];
      const em = h.em.fork();
      for (let i = 0; i < 5; i++) {
        const n = new Notification({ memberId: m.member.id, kind: 'registration-confirmed', params: { title: `n${i}` }, dedupeKey: `k${i}` });
        n.createdAt = new Date(Date.now() - (10 - i) * 60_000);
        if (i === 4) n.readAt = new Date();
        em.persist(n);
      }
      em.persist(new Notification({ memberId: other.member.id, kind: 'registration-confirmed', params: { title: 'not yours' }, dedupeKey: 'x' }));
      await em.flush();
      const result = await h.query(new GetHomeNotificationsQuery(m.viewer));
      expect(result.unread).toBe(4);
      expect(result.items.map((n) => n.params.title)).toEqual(['n3', 'n2', 'n1']);
      expect(await h.query(new GetHomeNotificationsQuery({ ...other.viewer }))).toMatchObject({ unread: 1 });

      // The count the header's bell already took on this page view is used as it is (not counted again); none unread
      // needs no list; a notice that came in between is never hidden by an older count.
      expect(await h.query(new GetHomeNotificationsQuery(m.viewer, 7))).toMatchObject({ unread: 7 });
      expect(await h.query(new GetHomeNotificationsQuery(m.viewer, 0))).toEqual({ items: [], unread: 0 });
      const behind = await h.query(new GetHomeNotificationsQuery(m.viewer, 2));
      expect([behind.unread, behind.items.length]).toEqual([3, 3]);
      expect(await h.query(new GetHomeNotificationsQuery(m.viewer, -1))).toMatchObject({ unread: 4 });
    });
  });

  describe('recent members near the viewer', () => {
    it('finds recent members of the same department or year, listed in the directory only, newest first, never the viewer', async () => {
      const me = await member({ status: 'alumni', dept: '営業部', joined: 2008, left: 2020, familyName: '自分' });
      await member({ status: 'alumni', dept: '営業部', joined: 2012, left: 2024, familyName: '同部署', joinedDaysAgo: 5 });
      await member({ status: 'employee', dept: '開発部', joined: 2008, familyName: '同期', joinedDaysAgo: 3 });
      await member({ status: 'alumni', dept: '人事部', joined: 2001, left: 2020, familyName: '同年退職', joinedDaysAgo: 1 });
      await member({ status: 'alumni', dept: '営業部', joined: 2010, left: 2021, familyName: '古参', joinedDaysAgo: 400 });
      await member({ status: 'alumni', dept: '総務部', joined: 2011, left: 2022, familyName: '無関係', joinedDaysAgo: 1 });
      await member({ status: 'suspended', dept: '営業部', familyName: '停止中', joinedDaysAgo: 1 });
      await member({ status: 'pending', dept: '営業部', familyName: '申請中', joinedDaysAgo: 1 });
      const deleted = await member({ status: 'alumni', dept: '営業部', familyName: '退会', joinedDaysAgo: 1 });
      await h.fresh((em) => em.execute(`update membership.member set status = 'deleted' where id = ?`, [deleted.member.id]));

      const result = await h.query(new ListRecentMembersNearQuery(me.viewer));
      expect(result).toMatchObject({ department: '営業部', joinedYear: 2008, leftYear: 2020 });
      expect(result.items.map((m) => [m.familyName, m.reason])).toEqual([
        ['同年退職', 'leftYear'],
        ['同期', 'joinedYear'],
        ['同部署', 'department'],
      ]);
    });

    it("shows the current employer only where its owner lets this viewer see it", async () => {
      const alumnus = await member({ status: 'alumni', dept: '営業部' });
      const employee = await member({ status: 'employee', dept: '営業部' });
      const withCompany = (company: string) => (p: Profile) => p.updateAfterCareer({ currentCompany: company });
      await member({ status: 'alumni', dept: '営業部', familyName: '公開', privacy: { currentEmployer: 'members' }, profile: withCompany('公開株式会社'), joinedDaysAgo: 3 });
      await member({ status: 'alumni', dept: '営業部', familyName: '社員向け', privacy: { currentEmployer: 'employees' }, profile: withCompany('社員向け株式会社'), joinedDaysAgo: 2 });
      await member({ status: 'alumni', dept: '営業部', familyName: '非公開', privacy: { currentEmployer: 'private' }, profile: withCompany('非公開株式会社'), joinedDaysAgo: 1 });

      const companies = async (v: typeof alumnus) =>
        Object.fromEntries((await h.query(new ListRecentMembersNearQuery(v.viewer))).items.filter((m) => m.familyName !== '試験').map((m) => [m.familyName, m.currentCompany]));
      expect(await companies(alumnus)).toEqual({ 公開: '公開株式会社', 社員向け: null, 非公開: null });
      expect(await companies(employee)).toEqual({ 公開: '公開株式会社', 社員向け: '社員向け株式会社', 非公開: null });
    });

    it('answers nothing to a viewer whose profile says no department or year', async () => {
      const me = await member({ status: 'alumni', dept: '' });
      await member({ status: 'alumni', dept: '営業部', joinedDaysAgo: 1 });
      expect(await h.query(new ListRecentMembersNearQuery(me.viewer))).toEqual({ department: null, joinedYear: null, leftYear: null, items: [] });
    });
  });

  describe('profile completeness', () => {
    it("reads the viewer's own profile and names what is missing", async () => {
      const m = await member({ status: 'alumni', dept: '営業部', joined: 2008, left: 2020 });
      expect(await h.query(new GetProfileCompletenessQuery(m.viewer))).toEqual({ percent: 14, missing: ['photo', 'career', 'currentWork', 'skills', 'interests', 'bio'], total: 7 });
      await h.fresh(async (em) => {
        const p = await em.findOneOrFail(Profile, { memberId: m.member.id });
        p.updateSkillsAndInterests({ skills: ['法人営業'], qualifications: [], interests: { business: [], hobby: ['登山'], volunteer: [] }, bio: 'よろしく' });
        await em.flush();
      });
      expect(await h.query(new GetProfileCompletenessQuery(m.viewer))).toMatchObject({ percent: 57, missing: ['photo', 'career', 'currentWork'] });
    });
  });
});
