import { DeleteAccountCommand, MembershipEvents } from '@modules/membership/contracts';
import { MembershipModule } from '@modules/membership/membership.module';
import {
  GetConsentHistoryQuery,
  GetConsentStateQuery,
  GetConsentTextsQuery,
  ListConsentingMembersQuery,
  RecordConsentCommand,
} from '@modules/privacy/contracts';
import { CONSENT_TEXT_VERSIONS } from '@modules/privacy/domain/consent-text';
import { ConsentRecord } from '@modules/privacy/domain/consent-record.entity';
import { PrivacyModule } from '@modules/privacy/privacy.module';
import type { IntegrationEvent } from '@libs/outbox/integration-event';
import { IntegrationEventsProcessor } from '@libs/outbox/integration-events.processor';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { OutboxWorkerModule } from '@libs/outbox/outbox.module';
import { QueueModule } from '@libs/queue/queue.module';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';
import { buildMember, TEST_PASSWORD, type BuiltMember } from '../../factories/member.factory';

const V = CONSENT_TEXT_VERSIONS;

describe('consent per purpose (Privacy, real PostgreSQL)', () => {
  let h: ModuleHarness;
  let events: IntegrationEventsProcessor;
  let member: BuiltMember;

  beforeAll(async () => {
    h = await bootModules([MembershipModule, PrivacyModule, OutboxWorkerModule, QueueModule]);
    events = h.app.get(IntegrationEventsProcessor);
  });
  beforeEach(async () => {
    await resetDatabase(h.em);
    member = await buildMember(h.em.fork(), { status: 'alumni' });
  });
  afterAll(() => h.close());

  const give = (m: BuiltMember, purpose: RecordConsentCommand['purpose'], locale: 'ja' | 'en' = 'ja') =>
    h.command(new RecordConsentCommand(m.member.id, purpose, true, V[purpose], locale));
  const withdraw = (m: BuiltMember, purpose: RecordConsentCommand['purpose'], locale: 'ja' | 'en' = 'ja') =>
    h.command(new RecordConsentCommand(m.member.id, purpose, false, V[purpose], locale));
  const stateOf = async (m: BuiltMember) => Object.fromEntries((await h.query(new GetConsentStateQuery(m.member.id))).map((s) => [s.purpose, s.answer]));

  /** Delivers the integration events of a type that are waiting in the outbox, as the worker would (once per handler). */
  async function deliver(type: string, times = 1): Promise<number> {
    const rows = await h.fresh((em) => em.find(OutboxMessage, { name: type }));
    for (let i = 0; i < times; i++) for (const row of rows) await events.dispatch(row.payload as unknown as IntegrationEvent);
    return rows.length;
  }

  it('starts with every purpose not answered and an empty history', async () => {
    expect(await stateOf(member)).toEqual({ community: 'not-answered', talent_pool: 'not-answered', business_matching: 'not-answered' });
    expect(await h.query(new GetConsentHistoryQuery(member.member.id))).toEqual([]);
  });

  it('records a decision with the wording the member read, verbatim, in their language and version', async () => {
    const [talentPoolEn] = (await h.query(new GetConsentTextsQuery('en'))).filter((t) => t.purpose === 'talent_pool');
    expect(await give(member, 'talent_pool', 'en')).toEqual({ recorded: true });
    const [record] = await h.query(new GetConsentHistoryQuery(member.member.id));
    expect(record).toMatchObject({ purpose: 'talent_pool', granted: true, textVersion: V.talent_pool, textLocale: 'en', text: talentPoolEn.text, source: 'member' });
    expect(record.text).toContain('HR may');
    expect(await stateOf(member)).toEqual({ community: 'not-answered', talent_pool: 'given', business_matching: 'not-answered' });
  });

  it('keeps the whole history, newest first, and the current answer is the newest', async () => {
    await give(member, 'community');
    await give(member, 'business_matching');
    await withdraw(member, 'community', 'en');
    const history = await h.query(new GetConsentHistoryQuery(member.member.id));
    expect(history.map((r) => [r.purpose, r.granted, r.textLocale])).toEqual([
      ['community', false, 'en'],
      ['business_matching', true, 'ja'],
      ['community', true, 'ja'],
    ]);
    expect(history[0].recordedAt.getTime()).toBeGreaterThanOrEqual(history[2].recordedAt.getTime());
    expect(await stateOf(member)).toEqual({ community: 'withdrawn', talent_pool: 'not-answered', business_matching: 'given' });
  });

  it('records the same answer to the same wording once, even when sent twice at the same moment', async () => {
    const results = await Promise.all([give(member, 'community'), give(member, 'community'), give(member, 'community')]);
    expect(results.filter((r) => r.recorded)).toHaveLength(1);
    expect(await give(member, 'community')).toEqual({ recorded: false });
    expect(await h.fresh((em) => em.count(ConsentRecord, { memberId: member.member.id }))).toBe(1);
  });

  it('refuses an answer to a wording that is no longer the current one, and records nothing', async () => {
    await expect(h.command(new RecordConsentCommand(member.member.id, 'community', true, '2020-01', 'ja'))).rejects.toMatchObject({
      code: 'privacy.errors.consentTextChanged',
      status: 409,
    });
    expect(await h.fresh((em) => em.count(ConsentRecord, {}))).toBe(0);
  });

  describe('ListConsentingMembersQuery', () => {
    it('lists exactly the members whose current answer is "given", in id order, page by page', async () => {
      const others = await Promise.all([1, 2, 3, 4].map(() => buildMember(h.em.fork(), { status: 'alumni' })));
      const [a, b, c, d] = others;
      await give(a, 'talent_pool');
      await give(b, 'talent_pool');
      await withdraw(b, 'talent_pool');
      await give(c, 'business_matching');
      await give(d, 'talent_pool');
      await give(member, 'talent_pool');
      const expected = [a, d, member].map((m) => m.member.id).sort();

      expect(await h.query(new ListConsentingMembersQuery('talent_pool'))).toEqual({ memberIds: expected, next: null });
      const first = await h.query(new ListConsentingMembersQuery('talent_pool', { limit: 2 }));
      expect(first).toEqual({ memberIds: expected.slice(0, 2), next: expected[1] });
      expect(await h.query(new ListConsentingMembersQuery('talent_pool', { limit: 2, after: first.next as string }))).toEqual({ memberIds: expected.slice(2), next: null });
      expect(await h.query(new ListConsentingMembersQuery('talent_pool', { memberIds: [b.member.id, d.member.id, c.member.id] }))).toEqual({ memberIds: [d.member.id], next: null });
      expect(await h.query(new ListConsentingMembersQuery('business_matching'))).toEqual({ memberIds: [c.member.id], next: null });
      expect(await h.query(new ListConsentingMembersQuery('community'))).toEqual({ memberIds: [], next: null });
    });
  });

  describe('when the member deletes their account', () => {
    it('records a withdrawal of every consent still given, once, and keeps the history', async () => {
      await give(member, 'community');
      await give(member, 'talent_pool', 'en');
      await withdraw(member, 'talent_pool', 'en');
      await give(member, 'business_matching', 'en');
      await h.command(new DeleteAccountCommand(member.member.id, TEST_PASSWORD));

      // Delivered twice (a retried job): the handler runs once.
      expect(await deliver(MembershipEvents.memberDeleted, 2)).toBe(1);

      const history = await h.query(new GetConsentHistoryQuery(member.member.id));
      expect(history).toHaveLength(6);
      const automatic = history.filter((r) => r.source === 'account-deleted');
      expect(automatic.map((r) => [r.purpose, r.granted, r.textLocale]).sort()).toEqual([
        ['business_matching', false, 'en'],
        ['community', false, 'ja'],
      ]);
      const givenText = history.find((r) => r.purpose === 'business_matching' && r.granted)?.text;
      expect(automatic.find((r) => r.purpose === 'business_matching')?.text).toBe(givenText);
      expect(await stateOf(member)).toEqual({ community: 'withdrawn', talent_pool: 'withdrawn', business_matching: 'withdrawn' });
      expect((await h.query(new ListConsentingMembersQuery('community'))).memberIds).toEqual([]);
    });

    it('records nothing for a member who never consented', async () => {
      await h.command(new DeleteAccountCommand(member.member.id, TEST_PASSWORD));
      await deliver(MembershipEvents.memberDeleted);
      expect(await h.query(new GetConsentHistoryQuery(member.member.id))).toEqual([]);
    });
  });
});
