import { GetMemberProfileQuery, GetProfilePhotoQuery, SearchDirectoryQuery } from '@modules/membership/contracts';
import { Profile } from '@modules/membership/domain/profile.entity';
import { MembershipModule } from '@modules/membership/membership.module';
import { PrivacyEvents, RecordConsentCommand } from '@modules/privacy/contracts';
import { CONSENT_TEXT_VERSIONS } from '@modules/privacy/domain/consent-text';
import { PrivacyModule } from '@modules/privacy/privacy.module';
import type { IntegrationEvent } from '@libs/outbox/integration-event';
import { IntegrationEventsProcessor } from '@libs/outbox/integration-events.processor';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { OutboxWorkerModule } from '@libs/outbox/outbox.module';
import { QueueModule } from '@libs/queue/queue.module';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';
import { buildMember, type BuiltMember } from '../../factories/member.factory';

/**
 * Withdrawing consent to the community (Privacy) hides the member from other members (Membership), through the
 * `privacy.consent-changed` integration event; giving it again shows them again.
 */
describe('community consent decides who other members see (Privacy → Membership)', () => {
  let h: ModuleHarness;
  let events: IntegrationEventsProcessor;
  let subject: BuiltMember;
  let other: BuiltMember;
  let operator: BuiltMember;
  let admin: BuiltMember;

  beforeAll(async () => {
    h = await bootModules([MembershipModule, PrivacyModule, OutboxWorkerModule, QueueModule]);
    events = h.app.get(IntegrationEventsProcessor);
  });
  beforeEach(async () => {
    await resetDatabase(h.em);
    subject = await buildMember(h.em.fork(), { status: 'alumni', familyName: '白石', givenName: '葵', familyNameKana: 'シライシ', givenNameKana: 'アオイ' });
    other = await buildMember(h.em.fork(), { status: 'employee' });
    operator = await buildMember(h.em.fork(), { status: 'alumni', role: 'operator' });
    admin = await buildMember(h.em.fork(), { status: 'employee', role: 'admin' });
  });
  afterAll(() => h.close());

  const decide = (granted: boolean) => h.command(new RecordConsentCommand(subject.member.id, 'community', granted, CONSENT_TEXT_VERSIONS.community, 'ja'));
  const pending = () => h.fresh((em) => em.find(OutboxMessage, { name: PrivacyEvents.consentChanged }, { orderBy: { createdAt: 'asc', id: 'asc' } }));
  const deliver = async (rows: OutboxMessage[]) => {
    for (const row of rows) await events.dispatch(row.payload as unknown as IntegrationEvent);
  };
  const listed = () => h.fresh(async (em) => (await em.findOneOrFail(Profile, { memberId: subject.member.id })).listed);
  const found = async (viewer: BuiltMember) => (await h.query(new SearchDirectoryQuery(viewer.viewer, { q: '白石' }))).items.map((i) => i.memberId);
  const profileFor = (viewer: BuiltMember) => h.query(new GetMemberProfileQuery(viewer.viewer, subject.member.id));

  it('lists a member who never answered (joining is consent to the community)', async () => {
    expect(await listed()).toBe(true);
    expect(await found(other)).toEqual([subject.member.id]);
    expect(await profileFor(other)).toMatchObject({ memberId: subject.member.id, listed: true });
  });

  it('hides a member who withdrew from other members, keeps them for themselves, the office and HR, and shows them again on re-grant', async () => {
    expect(await decide(false)).toEqual({ recorded: true });
    const [withdrawn] = await pending();
    expect(withdrawn.payload).toMatchObject({ type: 'privacy.consent-changed', memberId: subject.member.id, purpose: 'community', granted: false });
    // Nothing changes before the event is handled.
    expect(await listed()).toBe(true);

    await deliver([withdrawn]);
    expect(await listed()).toBe(false);
    // Another member: not in the directory, and the profile (and photo) answer "not found".
    expect(await found(other)).toEqual([]);
    await expect(profileFor(other)).rejects.toMatchObject({ code: 'membership.errors.memberNotFound' });
    expect(await h.query(new GetProfilePhotoQuery(other.viewer, subject.member.id))).toBeNull();
    // The member themselves, the community office and HR.
    expect(await profileFor(subject)).toMatchObject({ isSelf: true, listed: false });
    expect(await profileFor(operator)).toMatchObject({ listed: false });
    expect(await profileFor(admin)).toMatchObject({ listed: false });
    // Not in the directory for anyone, themselves included: they see their own profile page, which says so.
    expect(await found(subject)).toEqual([]);

    // Handled twice (a retried job): the same.
    await deliver([withdrawn]);
    expect(await listed()).toBe(false);

    expect(await decide(true)).toEqual({ recorded: true });
    const granted = (await pending()).slice(1);
    expect(granted.map((r) => r.payload)).toEqual([expect.objectContaining({ granted: true })]);
    await deliver(granted);
    expect(await listed()).toBe(true);
    expect(await found(other)).toEqual([subject.member.id]);
    expect(await profileFor(other)).toMatchObject({ listed: true });
  });

  it('ends with the newest answer even when the events are handled out of order', async () => {
    await decide(false);
    await decide(true);
    await decide(false);
    const rows = await pending();
    expect(rows.map((r) => r.payload.granted)).toEqual([false, true, false]);
    await deliver([rows[2], rows[0], rows[1]]);
    expect(await listed()).toBe(false);
  });

  it('publishes only changes of answer, and ignores the other purposes', async () => {
    await h.command(new RecordConsentCommand(subject.member.id, 'talent_pool', false, CONSENT_TEXT_VERSIONS.talent_pool, 'ja'));
    await deliver(await pending());
    expect(await listed()).toBe(true);
    await decide(true);
    expect(await decide(true)).toEqual({ recorded: false });
    expect((await pending()).filter((r) => r.payload.purpose === 'community')).toHaveLength(1);
  });
});
