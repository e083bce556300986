import { getQueueToken } from '@nestjs/bullmq';
import sharp from 'sharp';
import type { Queue } from 'bullmq';
import {
  DeleteAccountCommand,
  GetPersonalDataQuery,
  InviteMemberCommand,
  MembershipEvents,
  SetProfilePhotoCommand,
} from '@modules/membership/contracts';
import { MembershipModule } from '@modules/membership/membership.module';
import { Profile } from '@modules/membership/domain/profile.entity';
import { RosterEntry } from '@modules/membership/domain/roster-entry.entity';
import { DownloadDataExportCommand, ListDataExportsQuery, RecordConsentCommand, RequestDataExportCommand } from '@modules/privacy/contracts';
import { CONSENT_TEXT_VERSIONS } from '@modules/privacy/domain/consent-text';
import { DataExport } from '@modules/privacy/domain/data-export.entity';
import { PrivacyModule } from '@modules/privacy/privacy.module';
import { MailMessage } from '@libs/mail/mail-message.entity';
import { MailWorkerModule } from '@libs/mail/mail.module';
import type { IntegrationEvent } from '@libs/outbox/integration-event';
import { IntegrationEventsProcessor } from '@libs/outbox/integration-events.processor';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { OutboxRelay } from '@libs/outbox/outbox-relay.service';
import { OutboxWorkerModule } from '@libs/outbox/outbox.module';
import { QueueModule } from '@libs/queue/queue.module';
import { INTEGRATION_EVENTS_QUEUE, MAIL_QUEUE } from '@libs/queue/queue-names';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';
import { buildMember, TEST_PASSWORD, type BuiltMember } from '../../factories/member.factory';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const REQUESTED = 'privacy.data-export-requested';
const EXPIRY_DUE = 'privacy.data-export-expiry-due';
const DAY = 24 * 3600_000;
const DEADLINE_MS = 10_000;
const PENDING_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;

describe('data download (Privacy with Membership, real PostgreSQL and Redis)', () => {
  let h: ModuleHarness;
  let events: IntegrationEventsProcessor;
  let relay: OutboxRelay;
  let eventQueue: Queue;
  let mailQueue: Queue;
  let member: BuiltMember;
  const delivered = new Set<string>();

  beforeAll(async () => {
    h = await bootModules([MembershipModule, PrivacyModule, OutboxWorkerModule, MailWorkerModule, QueueModule]);
    events = h.app.get(IntegrationEventsProcessor);
    relay = h.app.get(OutboxRelay);
    eventQueue = h.app.get<Queue>(getQueueToken(INTEGRATION_EVENTS_QUEUE));
    mailQueue = h.app.get<Queue>(getQueueToken(MAIL_QUEUE));
  });
  beforeEach(async () => {
    await resetDatabase(h.em);
    delivered.clear();
    member = await buildMember(h.em.fork(), { status: 'alumni', email: 'hanako@example.jp', familyName: '佐藤', givenName: '花子', familyNameKana: 'サトウ', givenNameKana: 'ハナコ' });
  });
  afterAll(() => h.close());

  const request = (m: BuiltMember = member) => h.command(new RequestDataExportCommand(m.member.id));
  const exportRow = (id: string) => h.fresh((em) => em.findOneOrFail(DataExport, { id }, { populate: ['content'] }));

  /** Delivers the waiting integration events of a type as the worker would (each row once unless `again`). */
  async function deliver(type: string, again = false): Promise<number> {
    const rows = await h.fresh((em) => em.find(OutboxMessage, { name: type }, { orderBy: { createdAt: 'asc' } }));
    let n = 0;
    for (const row of rows) {
      if (delivered.has(row.id) && !again) continue;
      delivered.add(row.id);
      await events.dispatch(row.payload as unknown as IntegrationEvent);
      n += 1;
    }
    return n;
  }

  async function readyExport(m: BuiltMember = member): Promise<string> {
    const { exportId } = await request(m);
    await deliver(REQUESTED);
    expect((await exportRow(exportId)).state).toBe('ready');
    return exportId;
  }

  describe('GetPersonalDataQuery (Membership’s part)', () => {
    it('gives everything Membership holds: account, application, every profile field with privacy and photo, invitations, roster entry; no secrets', async () => {
      const admin = await buildMember(h.em.fork(), { status: 'employee', role: 'admin' });
      await h.command(new InviteMemberCommand(admin.viewer, 'natsuki@example.jp', 'alumni', 'ja', 'お久しぶりです'));
      member = await buildMember(h.em.fork(), { status: 'alumni', email: 'natsuki@example.jp' });
      await h.fresh(async (em) => {
        const profile = await em.findOneOrFail(Profile, { memberId: member.member.id });
        profile.updateBasicInfo({ familyName: '佐藤', givenName: '花子', familyNameKana: 'サトウ', givenNameKana: 'ハナコ', birthDate: '1985-04-01', contactPhone: '090-1234-5678' });
        profile.updateSkillsAndInterests({ skills: ['採用'], qualifications: [], interests: { business: [], hobby: ['登山'], volunteer: [] }, bio: '人事一筋' });
        const entry = new RosterEntry('E-2001', 'natsuki@example.jp', '佐藤', '花子', '00000000-0000-4000-8000-000000000099');
        entry.memberId = member.member.id;
        em.persist(entry);
        await em.flush();
      });
      await h.command(new SetProfilePhotoCommand(member.member.id, PNG));

      const data = await h.query(new GetPersonalDataQuery(member.member.id));
      expect(data.account).toMatchObject({ memberId: member.member.id, email: 'natsuki@example.jp', status: 'alumni', role: 'member', joinedVia: 'import' });
      expect(data.profile).toMatchObject({ familyName: '佐藤', givenName: '花子', birthDate: '1985-04-01', contactPhone: '090-1234-5678', skills: ['採用'], bio: '人事一筋', privacy: { contact: 'operators', birthDate: 'private', career: 'members', currentEmployer: 'members' } });
      expect(data.profile?.interests.hobby).toEqual(['登山']);
      // The photo as stored: the full-size variant of the image pipeline (WebP, no metadata).
      expect(data.profile?.photo?.contentType).toBe('image/webp');
      const photo = await sharp(Buffer.from(data.profile!.photo!.base64, 'base64')).metadata();
      expect([photo.format, photo.width, photo.height, photo.exif]).toEqual(['webp', 1, 1, undefined]);
      expect(data.invitations).toEqual([expect.objectContaining({ email: 'natsuki@example.jp', status: 'alumni', message: 'お久しぶりです', state: 'open' })]);
      expect(data.roster).toMatchObject({ employeeNumber: 'E-2001', familyName: '佐藤' });
      const text = JSON.stringify(data);
      expect(text).not.toMatch(/argon2|passwordHash|tokenHash/);
    });
  });

  describe('RequestDataExportCommand', () => {
    it('writes the export and the job that prepares it in one transaction; the job carries ids only', async () => {
      const { exportId } = await request();
      expect(await exportRow(exportId)).toMatchObject({ memberId: member.member.id, state: 'requested', content: null });
      const jobs = await h.fresh((em) => em.find(OutboxMessage, { name: REQUESTED }));
      expect(jobs).toHaveLength(1);
      expect(jobs[0].payload).toMatchObject({ exportId, memberId: member.member.id });
      expect(Object.keys(jobs[0].payload).sort()).toEqual(['eventId', 'exportId', 'memberId', 'occurredAt', 'type']);
    });

    it('allows one export in preparation at a time, even for requests sent at the same moment', async () => {
      const results = await Promise.allSettled([request(), request(), request()]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'privacy.errors.exportInPreparation', status: 409 });
      expect(await h.fresh((em) => em.count(DataExport, { memberId: member.member.id }))).toBe(1);
      expect(await h.fresh((em) => em.count(OutboxMessage, { name: REQUESTED }))).toBe(1);
      // Another member is not held up.
      const other = await buildMember(h.em.fork(), { status: 'employee' });
      await expect(request(other)).resolves.toMatchObject({ exportId: expect.any(String) });
      // Once it is ready, the member may ask again.
      await deliver(REQUESTED);
      await expect(request()).resolves.toMatchObject({ exportId: expect.any(String) });
    });

    it('takes an export stuck in preparation for over an hour as failed, and tidies expired ones', async () => {
      const stuck = (await request()).exportId;
      const expired = await h.fresh(async (em) => {
        const e = new DataExport(member.member.id);
        e.markReady({ old: true }, 12, new Date(Date.now() - 8 * DAY));
        await em.persist(e).flush();
        return e.id;
      });
      await h.fresh((em) => em.execute(`update privacy.data_export set requested_at = now() - interval '61 minutes' where id = ?`, [stuck]));
      await request();
      expect((await exportRow(stuck)).state).toBe('failed');
      expect(await exportRow(expired)).toMatchObject({ state: 'expired', content: null });
    });
  });

  describe('preparing (the worker’s job)', () => {
    it('gathers Membership’s data and Privacy’s consent history, stores it with its size, and mails the member a link', async () => {
      await h.command(new RecordConsentCommand(member.member.id, 'talent_pool', true, CONSENT_TEXT_VERSIONS.talent_pool, 'ja'));
      const { exportId } = await request();
      expect(await deliver(REQUESTED)).toBe(1);

      const e = await exportRow(exportId);
      expect(e.state).toBe('ready');
      expect(e.expiresAt!.getTime() - e.readyAt!.getTime()).toBe(7 * DAY);
      const content = e.content as { format: string; memberId: string; membership: { profile: { familyName: string } }; privacy: { consent: { history: { purpose: string; text: string }[] } } };
      expect(content).toMatchObject({ format: 'kizuna-personal-data', memberId: member.member.id, membership: { profile: { familyName: '佐藤' } } });
      expect(content.privacy.consent.history).toEqual([expect.objectContaining({ purpose: 'talent_pool', granted: true, source: 'member' })]);

      const download = await h.command(new DownloadDataExportCommand(member.member.id, exportId));
      expect(e.sizeBytes).toBe(download.sizeBytes);
      expect(Buffer.byteLength(download.json)).toBe(download.sizeBytes);

      const [mail] = await h.fresh((em) => em.find(MailMessage, { template: 'privacy/data-export-ready' }));
      expect(mail).toMatchObject({ to: 'hanako@example.jp', locale: 'ja', key: `data-export-ready:${exportId}` });
      expect(mail.subject).toContain('ダウンロード用のデータを準備しました');
      expect(mail.text).toContain(`http://kizuna.test/account/data-exports/${exportId}/download`);
      expect(mail.text).not.toContain('090');

      // The erasure at expiry is scheduled as a delayed job.
      const [expiry] = await h.fresh((em) => em.find(OutboxMessage, { name: EXPIRY_DUE }));
      expect(expiry.payload).toMatchObject({ exportId });
      expect(expiry.runAt?.getTime()).toBe(e.expiresAt!.getTime());
    });

    it('runs once: a retried job changes nothing and mails once', async () => {
      const { exportId } = await request();
      await deliver(REQUESTED);
      const first = await exportRow(exportId);
      await deliver(REQUESTED, true);
      const again = await exportRow(exportId);
      expect(again.readyAt).toEqual(first.readyAt);
      expect(await h.fresh((em) => em.count(MailMessage, { template: 'privacy/data-export-ready' }))).toBe(1);
      expect(await h.fresh((em) => em.count(OutboxMessage, { name: EXPIRY_DUE }))).toBe(1);
    });

    it('goes through the real relay and BullMQ worker to a sent mail', async () => {
      const { exportId } = await request();
      const deadline = Date.now() + DEADLINE_MS;
      let sent: MailMessage | null = null;
      while (!sent) {
        await relay.drain();
        sent = await h.fresh((em) => em.findOne(MailMessage, { key: `data-export-ready:${exportId}`, sentAt: { $ne: null } }));
        if (!sent && Date.now() > deadline) throw new Error('the export was not prepared and mailed by the worker');
        if (!sent) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect((await exportRow(exportId)).state).toBe('ready');
      // Wait for the worker to be idle (the delayed expiry job stays delayed) before the next test empties the database.
      while ((await mailQueue.getJobCountByTypes(...PENDING_STATES)) + (await eventQueue.getJobCountByTypes('waiting', 'active')) > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await eventQueue.getJobCountByTypes('delayed')).toBeGreaterThanOrEqual(1);
      await eventQueue.drain(true);
    });
  });

  describe('DownloadDataExportCommand', () => {
    it('gives the owner the JSON file named after the day, and records when', async () => {
      const exportId = await readyExport();
      const file = await h.command(new DownloadDataExportCommand(member.member.id, exportId));
      expect(file.fileName).toMatch(/^kizuna-data-\d{4}-\d{2}-\d{2}\.json$/);
      expect(JSON.parse(file.json)).toMatchObject({ memberId: member.member.id, membership: { account: { email: 'hanako@example.jp' } } });
      expect((await exportRow(exportId)).downloadedAt).toBeInstanceOf(Date);
      expect((await h.query(new ListDataExportsQuery(member.member.id)))[0]).toMatchObject({ exportId, state: 'ready', downloadedAt: expect.any(Date) });
    });

    it('never gives another member’s export, nor an unknown one', async () => {
      const exportId = await readyExport();
      const other = await buildMember(h.em.fork(), { status: 'alumni', role: 'admin' });
      await expect(h.command(new DownloadDataExportCommand(other.member.id, exportId))).rejects.toMatchObject({ status: 404 });
      await expect(h.command(new DownloadDataExportCommand(member.member.id, '00000000-0000-4000-8000-000000000000'))).rejects.toMatchObject({ status: 404 });
      await expect(h.command(new DownloadDataExportCommand(member.member.id, 'x'))).rejects.toMatchObject({ status: 404 });
      expect((await exportRow(exportId)).downloadedAt ?? null).toBeNull();
    });

    it('refuses one still being prepared', async () => {
      const { exportId } = await request();
      await expect(h.command(new DownloadDataExportCommand(member.member.id, exportId))).rejects.toMatchObject({ reason: 'requested', status: 409 });
    });

    it('refuses an expired one and erases its content on the spot', async () => {
      const exportId = await readyExport();
      await h.fresh((em) => em.execute(`update privacy.data_export set expires_at = now() - interval '1 second' where id = ?`, [exportId]));
      expect((await h.query(new ListDataExportsQuery(member.member.id)))[0].state).toBe('expired');
      await expect(h.command(new DownloadDataExportCommand(member.member.id, exportId))).rejects.toMatchObject({ reason: 'expired', status: 410 });
      expect(await exportRow(exportId)).toMatchObject({ state: 'expired', content: null });
    });
  });

  describe('erasure', () => {
    it('erases the content when the delayed expiry job runs, and retries a job that starts early', async () => {
      const exportId = await readyExport();
      const [expiry] = await h.fresh((em) => em.find(OutboxMessage, { name: EXPIRY_DUE }));
      await expect(events.dispatch(expiry.payload as unknown as IntegrationEvent)).rejects.toThrow(/not due yet/);
      expect((await exportRow(exportId)).content).toEqual(expect.objectContaining({ memberId: member.member.id }));

      await h.fresh((em) => em.execute(`update privacy.data_export set expires_at = now() - interval '1 second' where id = ?`, [exportId]));
      await events.dispatch(expiry.payload as unknown as IntegrationEvent);
      expect(await exportRow(exportId)).toMatchObject({ state: 'expired', content: null });
    });

    it('erases every export of a member who deleted their account; one being prepared never will be', async () => {
      const ready = await readyExport();
      const preparing = (await request()).exportId;
      await h.command(new DeleteAccountCommand(member.member.id, TEST_PASSWORD));
      await deliver(MembershipEvents.memberDeleted);
      expect(await exportRow(ready)).toMatchObject({ state: 'expired', content: null });
      expect(await exportRow(preparing)).toMatchObject({ state: 'failed', content: null });
      // The job for the one being prepared finds nothing to do.
      await deliver(REQUESTED);
      expect(await exportRow(preparing)).toMatchObject({ state: 'failed', content: null });
      expect(await h.fresh((em) => em.count(MailMessage, { template: 'privacy/data-export-ready', sentAt: null }))).toBe(0);
    });

    it('does not prepare an export for an account deleted before the job ran', async () => {
      const { exportId } = await request();
      await h.command(new DeleteAccountCommand(member.member.id, TEST_PASSWORD));
      await deliver(REQUESTED);
      expect(await exportRow(exportId)).toMatchObject({ state: 'failed', content: null });
      expect(await h.fresh((em) => em.count(MailMessage, { template: 'privacy/data-export-ready' }))).toBe(0);
    });
  });
});
