import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { MailMessage } from '@libs/mail/mail-message.entity';
import { MailWorkerModule } from '@libs/mail/mail.module';
import { OutboxMessage } from '@libs/outbox/outbox-message.entity';
import { OutboxRelay } from '@libs/outbox/outbox-relay.service';
import { OutboxWorkerModule } from '@libs/outbox/outbox.module';
import { ProcessedJob } from '@libs/outbox/processed-job.entity';
import { QueueModule } from '@libs/queue/queue.module';
import {
  AcceptInvitationCommand,
  ConfirmRosterImportCommand,
  DiscardRosterImportCommand,
  GetInvitationPreviewQuery,
  GetRosterImportQuery,
  ListRosterImportsQuery,
  MembershipEvents,
  PreviewRosterImportCommand,
} from '@modules/membership/contracts';
import { ApplyRosterImportCommand } from '@modules/membership/application/roster-import';
import { Invitation } from '@modules/membership/domain/invitation.entity';
import { Member } from '@modules/membership/domain/member.entity';
import { Profile } from '@modules/membership/domain/profile.entity';
import { RosterEntry } from '@modules/membership/domain/roster-entry.entity';
import { RosterImport } from '@modules/membership/domain/roster-import.entity';
import { MembershipWorkerModule } from '@modules/membership/jobs/membership-worker.module';
import { ROSTER_IMPORT_QUEUE } from '@modules/membership/jobs/roster-import.queue';
import { MembershipModule } from '@modules/membership/membership.module';
import { bootModules, resetDatabase, type ModuleHarness } from '../../support/test-app';
import { buildMember, type BuiltMember } from '../../factories/member.factory';

const FIXTURES = join(__dirname, '..', '..', '..', 'src', 'modules', 'membership', 'roster', 'fixtures');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));
const utf8 = (lines: string[], eol = '\n', bom = false) => Buffer.from(`${bom ? '\ufeff' : ''}${lines.join(eol)}${eol}`, 'utf8');
const HEADER = '社員番号,姓,名,セイ,メイ,メールアドレス,部署,役職,入社日,退職日';

describe('roster import (人事データ取込) on PostgreSQL and Redis', () => {
  let h: ModuleHarness;
  let admin: BuiltMember;

  beforeAll(async () => {
    h = await bootModules([MembershipModule, MembershipWorkerModule, OutboxWorkerModule, MailWorkerModule, QueueModule]);
  });
  beforeEach(async () => {
    await resetDatabase(h.em);
    admin = await buildMember(h.em.fork(), { status: 'employee', role: 'admin', email: 'hr-admin@example.co.jp', familyName: '人事', givenName: '管理' });
  });
  afterAll(() => h.close());

  const preview = (file: Buffer | null, name = 'roster.csv', actor = admin.viewer) => h.command(new PreviewRosterImportCommand(actor, name, file));
  const view = (id: string) => h.query(new GetRosterImportQuery(admin.viewer, id));
  const count = (sql: string, params: unknown[] = []) => h.fresh(async (em) => Number((await em.execute<{ n: string }[]>(sql, params))[0].n));
  const mails = (template: string) => h.fresh((em) => em.find(MailMessage, { template: `membership/${template}` }, { orderBy: { to: 'asc' } }));

  /** Preview, confirm and apply as the worker would (without the queue). */
  async function importFile(file: Buffer): Promise<string> {
    const { importId } = await preview(file);
    await h.command(new ConfirmRosterImportCommand(admin.viewer, importId));
    expect(await h.command(new ApplyRosterImportCommand(importId))).toEqual({ outcome: 'completed' });
    return importId;
  }

  /** The members the first fixture expects: an employee with an open career entry and an alumnus. */
  async function buildKnownMembers(): Promise<{ sato: BuiltMember; tanaka: BuiltMember }> {
    const sato = await buildMember(h.em.fork(), {
      status: 'employee',
      email: 'ichiro.sato@example.co.jp',
      familyName: '佐藤',
      givenName: '一郎',
      profile: (p) => p.replaceCareer([{ department: '営業部', position: '課長', from: '2010-04', to: null }]),
    });
    const tanaka = await buildMember(h.em.fork(), { status: 'alumni', email: 'misaki.tanaka@example.co.jp', familyName: '田中', givenName: '美咲' });
    return { sato, tanaka };
  }

  describe('reading files', () => {
    it('reads UTF-8 with a BOM and English headings, and lists the bad row with its line and column', async () => {
      const { importId } = await preview(fixture('roster-utf8-bom-crlf.csv'), 'hr-export.csv');
      const v = await view(importId);
      expect(v).toMatchObject({ fileName: 'hr-export.csv', encoding: 'utf-8-bom', state: 'previewed', totalRows: 2, canConfirm: false, canDiscard: true });
      expect(v.issues).toEqual([{ line: 4, columnKey: 'membership.roster.columns.email', messageKey: 'membership.roster.errors.invalidEmail', params: {} }]);
      // The valid rows are planned all the same: one who left (not a member) and one to invite.
      expect(v.planned).toEqual({ invite: 1, leave: 0, update: 0, unchanged: 0, skipped: 1 });
      await expect(h.command(new ConfirmRosterImportCommand(admin.viewer, importId))).rejects.toMatchObject({ code: 'membership.roster.commandErrors.hasIssues' });
      expect(await count('select count(*) as n from platform.outbox')).toBe(0);
      expect((await view(importId)).state).toBe('previewed');
    });

    it('reads Shift_JIS (CP932) with CRLF, including an impossible date reported on its line', async () => {
      const { importId } = await preview(fixture('roster-cp932-crlf.csv'));
      const v = await view(importId);
      expect(v.encoding).toBe('cp932');
      expect(v.totalRows).toBe(3);
      expect(v.issues).toEqual([
        { line: 6, columnKey: 'membership.roster.columns.leftOn', messageKey: 'membership.roster.errors.invalidDate', params: { value: '2024-02-30' } },
      ]);
      expect(v.changes.map((c) => [c.line, c.employeeNumber, c.name, c.kind])).toEqual([
        [2, 'E0001', '髙橋 一郎', 'invite'],
        [3, 'E0002', '山田 花子', 'skipped'],
        [4, 'E0003', '佐藤 健', 'invite'],
      ]);
    });

    it('refuses a file it cannot read at all with a message for the file field, and keeps nothing', async () => {
      const cases: [Buffer | null, string, Record<string, unknown> | undefined][] = [
        [null, 'membership.roster.upload.noFile', undefined],
        [Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x42, 0x00]), 'membership.roster.errors.unknownEncoding', undefined],
        [utf8(['社員番号,姓,名', 'E1,山田,太郎']), 'membership.roster.errors.missingColumns', { columns: 'email (メールアドレス)' }],
        [utf8([HEADER]), 'membership.roster.errors.empty', undefined],
        [Buffer.alloc(10 * 1024 * 1024 + 1, 0x41), 'membership.roster.errors.tooLarge', { mb: 10 }],
      ];
      for (const [file, code, params] of cases) {
        await expect(preview(file)).rejects.toMatchObject({ code, field: 'file', ...(params ? { params } : {}) });
      }
      expect(await h.fresh((em) => em.count(RosterImport))).toBe(0);
    });

    it('reports duplicate employee numbers on the later line', async () => {
      const { importId } = await preview(utf8([HEADER, 'E1,山田,太郎,,,a@example.jp,,,,', 'E1,田中,花子,,,b@example.jp,,,,']));
      expect((await view(importId)).issues).toEqual([
        { line: 3, columnKey: 'membership.roster.columns.employeeNumber', messageKey: 'membership.roster.errors.duplicateEmployeeNumber', params: { firstLine: 2 } },
      ]);
    });
  });

  describe('applying', () => {
    it('invites, moves a leaver to alumni, links an existing member and records someone already gone', async () => {
      const { sato, tanaka } = await buildKnownMembers();
      const { importId } = await preview(fixture('roster-utf8-lf.csv'));
      const planned = await view(importId);
      expect(planned).toMatchObject({ encoding: 'utf-8', totalRows: 4, issues: [], canConfirm: true });
      expect(planned.planned).toEqual({ invite: 1, leave: 1, update: 1, unchanged: 0, skipped: 1 });
      expect(planned.changes.map((c) => [c.employeeNumber, c.kind, c.fieldKeys])).toEqual([
        ['K001', 'leave', ['membership.roster.plan.member']],
        ['K002', 'invite', []],
        ['K003', 'skipped', []],
        ['K004', 'update', ['membership.roster.plan.member']],
      ]);
      // The preview wrote nothing but itself.
      expect(await h.fresh((em) => em.count(RosterEntry))).toBe(0);
      expect(await h.fresh((em) => em.count(Invitation))).toBe(0);

      await h.command(new ConfirmRosterImportCommand(admin.viewer, importId));
      expect((await view(importId)).state).toBe('queued');
      const job = await h.fresh((em) => em.findOneOrFail(OutboxMessage, { queue: ROSTER_IMPORT_QUEUE }));
      expect(job).toMatchObject({ name: 'apply', payload: { importId }, jobId: `roster-import-${importId}` });

      expect(await h.command(new ApplyRosterImportCommand(importId))).toEqual({ outcome: 'completed' });
      const done = await view(importId);
      expect(done).toMatchObject({ state: 'completed', processedRows: 4, percent: 100, inProgress: false, failureKey: null });
      expect(done.applied).toEqual({ invite: 1, leave: 1, update: 1, unchanged: 0, skipped: 1 });

      // K001: the employee left on 2025-03-31 — alumnus, career closed. That date has passed and they have no personal
      // address: their company mailbox is presumed closed, so no mail; HR sees them as "no personal address".
      const leaver = await h.fresh((em) => em.findOneOrFail(Member, { id: sato.member.id }));
      expect(leaver).toMatchObject({ status: 'alumni', departedOn: '2025-03-31' });
      const career = await h.fresh((em) => em.findOneOrFail(Profile, { memberId: sato.member.id }));
      expect(career.careerAtCompany).toEqual([{ department: '営業部', position: '課長', from: '2010-04', to: '2025-03' }]);
      expect(await mails('left-company')).toEqual([]);
      expect(done.leaversNotMailed).toBe(1);
      const statusEvents = await h.fresh((em) => em.find(OutboxMessage, { name: MembershipEvents.memberStatusChanged }));
      expect(statusEvents.map((e) => e.payload)).toEqual([expect.objectContaining({ memberId: sato.member.id, from: 'employee', to: 'alumni', departedOn: '2025-03-31' })]);

      // K002: invited as an employee, by mail in the community's language.
      const invitation = await h.fresh((em) => em.findOneOrFail(Invitation, { email: 'hanako.suzuki@example.co.jp' }));
      expect(invitation).toMatchObject({ status: 'employee', invitedBy: admin.member.id });
      const [invitationMail] = await mails('invitation');
      expect(invitationMail).toMatchObject({ to: 'hanako.suzuki@example.co.jp', locale: 'ja', key: `invitation:${invitation.id}` });
      expect(invitationMail.text).toContain('人事 管理');

      // Every row is on record, linked where a member exists.
      const entries = await h.fresh((em) => em.find(RosterEntry, {}, { orderBy: { employeeNumber: 'asc' } }));
      expect(entries.map((e) => [e.employeeNumber, e.memberId ?? null, e.invitationId ?? null, e.leftOn ?? null, e.lastImportId])).toEqual([
        ['K001', sato.member.id, null, '2025-03-31', importId],
        ['K002', null, invitation.id, null, importId],
        ['K003', null, null, '2019-09-30', importId],
        ['K004', tanaka.member.id, null, '2020-03-31', importId],
      ]);
      // Readings are recorded as HR wrote them (this file has them in hiragana).
      expect(entries[1]).toMatchObject({ familyNameKana: 'すずき', givenNameKana: 'はなこ', hiredOn: '2022-04-01' });
      expect((await h.fresh((em) => em.findOneOrFail(Member, { id: tanaka.member.id }))).status).toBe('alumni');
    });

    it('changes nothing when the same file is imported again', async () => {
      await buildKnownMembers();
      await importFile(fixture('roster-utf8-lf.csv'));
      const snapshot = async () => ({
        entries: await h.fresh(async (em) => (await em.find(RosterEntry, {}, { orderBy: { employeeNumber: 'asc' } })).map((e) => ({ ...e.toRecorded(), updatedAt: e.updatedAt.getTime() }))),
        invitations: await h.fresh((em) => em.count(Invitation)),
        mails: await h.fresh((em) => em.count(MailMessage)),
        events: await h.fresh((em) => em.count(OutboxMessage)),
        members: await h.fresh(async (em) => (await em.find(Member, {}, { orderBy: { email: 'asc' } })).map((m) => [m.email, m.status, m.departedOn ?? null])),
      });
      const before = await snapshot();

      const { importId } = await preview(fixture('roster-utf8-lf.csv'));
      const again = await view(importId);
      expect(again.planned).toEqual({ invite: 0, leave: 0, update: 0, unchanged: 4, skipped: 0 });
      expect(again.changes).toEqual([]);
      await h.command(new ConfirmRosterImportCommand(admin.viewer, importId));
      const outboxAfterConfirm = await h.fresh((em) => em.count(OutboxMessage));
      expect(await h.command(new ApplyRosterImportCommand(importId))).toEqual({ outcome: 'completed' });

      expect({ ...(await snapshot()), events: before.events }).toEqual(before);
      expect(await h.fresh((em) => em.count(OutboxMessage))).toBe(outboxAfterConfirm);
      expect((await view(importId)).applied).toEqual({ invite: 0, leave: 0, update: 0, unchanged: 4, skipped: 0 });
    });

    it('takes a later Shift_JIS export: an update and a new person, nothing else', async () => {
      await buildKnownMembers();
      await importFile(fixture('roster-utf8-lf.csv'));
      const invitationsBefore = await h.fresh((em) => em.count(Invitation));

      const { importId } = await preview(fixture('roster-cp932-update.csv'));
      const v = await view(importId);
      expect(v.encoding).toBe('cp932');
      expect(v.planned).toEqual({ invite: 1, leave: 0, update: 1, unchanged: 3, skipped: 0 });
      expect(v.changes.map((c) => [c.employeeNumber, c.name, c.kind, c.fieldKeys])).toEqual([
        // The Shift_JIS export writes the readings in katakana where the first file had hiragana: HR's record follows.
        ['K002', '鈴木 花子', 'update', ['membership.roster.columns.familyNameKana', 'membership.roster.columns.givenNameKana', 'membership.roster.columns.position']],
        ['K005', '渡辺 髙志', 'invite', []],
      ]);
      await h.command(new ConfirmRosterImportCommand(admin.viewer, importId));
      await h.command(new ApplyRosterImportCommand(importId));

      const k002 = await h.fresh((em) => em.findOneOrFail(RosterEntry, { employeeNumber: 'K002' }));
      expect(k002).toMatchObject({ position: '主任', lastImportId: importId });
      const k005 = await h.fresh((em) => em.findOneOrFail(RosterEntry, { employeeNumber: 'K005' }));
      expect(k005).toMatchObject({ department: '第①営業部', hiredOn: '2024-04-01', givenName: '髙志' }); // ① and 髙 as HR wrote them
      // The person already invited is not invited again for a changed position.
      expect(await h.fresh((em) => em.count(Invitation))).toBe(invitationsBefore + 1);
    });

    it('links the new member when a roster invitation is accepted, with the names and post HR gave', async () => {
      await importFile(utf8([HEADER, 'K010,小林,誠,こばやし,まこと,makoto.kobayashi@example.co.jp,総務部,主任,2016/4/1,']));
      const [mail] = await mails('invitation');
      const token = /\/invitations\/([\w-]+)/.exec(mail.text)?.[1] as string;

      const previewed = await h.query(new GetInvitationPreviewQuery(token));
      expect(previewed).toMatchObject({ email: 'makoto.kobayashi@example.co.jp', status: 'employee', names: { familyName: '小林', givenName: '誠', familyNameKana: 'コバヤシ', givenNameKana: 'マコト' } });

      const viewer = await h.command(
        new AcceptInvitationCommand(token, { password: 'makoto-Pass-2026', familyName: '小林', givenName: '誠', familyNameKana: 'コバヤシ', givenNameKana: 'マコト' }, 'ja'),
      );
      const entry = await h.fresh((em) => em.findOneOrFail(RosterEntry, { employeeNumber: 'K010' }));
      expect(entry.memberId).toBe(viewer.memberId);
      const profile = await h.fresh((em) => em.findOneOrFail(Profile, { memberId: viewer.memberId }));
      expect(profile).toMatchObject({ lastDepartment: '総務部', lastPosition: '主任', joinedYear: 2016 });
      expect(profile.careerAtCompany).toEqual([{ department: '総務部', position: '主任', from: '2016-04', to: null }]);

      // HR's next export says they left: the linked member becomes an alumnus.
      await importFile(utf8([HEADER, 'K010,小林,誠,こばやし,まこと,makoto.kobayashi@example.co.jp,総務部,主任,2016/4/1,2026/1/31']));
      expect(await h.fresh((em) => em.findOneOrFail(Member, { id: viewer.memberId }))).toMatchObject({ status: 'alumni', departedOn: '2026-01-31' });
      expect((await h.fresh((em) => em.findOneOrFail(Profile, { memberId: viewer.memberId }))).careerAtCompany[0].to).toBe('2026-01');
    });

    it('makes someone who left before accepting their invitation an alumnus when they accept', async () => {
      await importFile(utf8([HEADER, 'K020,石井,葵,,,aoi.ishii@example.co.jp,企画部,,2018/4/1,']));
      const [mail] = await mails('invitation');
      await importFile(utf8([HEADER, 'K020,石井,葵,,,aoi.ishii@example.co.jp,企画部,,2018/4/1,2025/12/31']));
      const token = /\/invitations\/([\w-]+)/.exec(mail.text)?.[1] as string;
      const viewer = await h.command(new AcceptInvitationCommand(token, { password: 'aoi-Pass-2026-x', familyName: '石井', givenName: '葵', familyNameKana: 'イシイ', givenNameKana: 'アオイ' }, 'ja'));
      expect(viewer.status).toBe('alumni');
      expect(await h.fresh((em) => em.findOneOrFail(Member, { id: viewer.memberId }))).toMatchObject({ status: 'alumni', departedOn: '2025-12-31' });
    });
  });

  describe('all or nothing, progress, idempotency', () => {
    const twelveRows = () => utf8([HEADER, ...Array.from({ length: 12 }, (_, i) => `P${i},森,${i}郎,,,p${i}@example.co.jp,,,,`)]);

    it('shows progress outside the import transaction while nothing of the import is visible yet', async () => {
      const { importId } = await preview(twelveRows());
      await h.command(new ConfirmRosterImportCommand(admin.viewer, importId));
      const seen: { processed: number; state: string; percent: number; entries: number; invitations: number }[] = [];
      await h.command(
        new ApplyRosterImportCommand(importId, {
          batchSize: 5,
          onProgress: async () => {
            const v = await view(importId);
            seen.push({ processed: v.processedRows, state: v.state, percent: v.percent, entries: await h.fresh((em) => em.count(RosterEntry)), invitations: await h.fresh((em) => em.count(Invitation)) });
          },
        }),
      );
      expect(seen).toEqual([
        { processed: 5, state: 'running', percent: 41, entries: 0, invitations: 0 },
        { processed: 10, state: 'running', percent: 83, entries: 0, invitations: 0 },
        { processed: 12, state: 'running', percent: 100, entries: 0, invitations: 0 },
      ]);
      expect(await h.fresh((em) => em.count(RosterEntry))).toBe(12);
    });

    it('applies nothing when the job fails part-way, and says so on the import', async () => {
      const { importId } = await preview(twelveRows());
      await h.command(new ConfirmRosterImportCommand(admin.viewer, importId));
      let batches = 0;
      const failing = new ApplyRosterImportCommand(importId, {
        batchSize: 5,
        onProgress: () => {
          batches += 1;
          if (batches === 2) throw new Error('connection lost');
        },
      });
      await expect(h.command(failing)).rejects.toThrow('connection lost');
      expect(await h.fresh((em) => em.count(RosterEntry))).toBe(0);
      expect(await h.fresh((em) => em.count(Invitation))).toBe(0);
      expect(await h.fresh((em) => em.count(MailMessage))).toBe(0);
      expect(await h.fresh((em) => em.count(ProcessedJob, { key: `roster-import:${importId}` }))).toBe(0);
      expect(await view(importId)).toMatchObject({ state: 'failed', failureKey: 'membership.roster.failure.unexpected', processedRows: 0 });
      // A failed import is not run again.
      expect(await h.command(new ApplyRosterImportCommand(importId))).toEqual({ outcome: 'skipped' });
      expect(await h.fresh((em) => em.count(RosterEntry))).toBe(0);
    });

    it('waits as queued between attempts the queue will retry, then completes', async () => {
      const { importId } = await preview(twelveRows());
      await h.command(new ConfirmRosterImportCommand(admin.viewer, importId));
      const flaky = new ApplyRosterImportCommand(importId, {
        finalAttempt: false,
        onProgress: () => {
          throw new Error('deadlock detected');
        },
      });
      await expect(h.command(flaky)).rejects.toThrow('deadlock detected');
      expect(await view(importId)).toMatchObject({ state: 'queued', processedRows: 0 });
      expect(await h.command(new ApplyRosterImportCommand(importId))).toEqual({ outcome: 'completed' });
      expect(await h.fresh((em) => em.count(RosterEntry))).toBe(12);
    });

    it('runs a confirmed import once, however often the job is delivered', async () => {
      const id = await importFile(twelveRows());
      const mailsBefore = await h.fresh((em) => em.count(MailMessage));
      expect(await h.command(new ApplyRosterImportCommand(id))).toEqual({ outcome: 'skipped' });
      // Even if the state were put back, the processed-job key stops a second run.
      await h.fresh((em) => em.execute(`update membership.roster_import set state = 'queued' where id = ?`, [id]));
      expect(await h.command(new ApplyRosterImportCommand(id))).toEqual({ outcome: 'skipped' });
      expect(await h.fresh((em) => em.count(MailMessage))).toBe(mailsBefore);
      expect(await h.fresh((em) => em.count(Invitation))).toBe(12);
    });

    it('fails without applying anything when the data changed after the preview', async () => {
      const { importId } = await preview(utf8([HEADER, 'Q1,岡田,准,,,jun.okada@example.co.jp,,,,', 'Q2,中島,愛,,,ai.nakajima@example.co.jp,,,,']));
      await h.command(new ConfirmRosterImportCommand(admin.viewer, importId));
      // Meanwhile another import records the first address for another employee number.
      await importFile(utf8([HEADER, 'Z9,岡田,准,,,jun.okada@example.co.jp,,,,']));
      const entriesBefore = await h.fresh((em) => em.count(RosterEntry));

      expect(await h.command(new ApplyRosterImportCommand(importId))).toEqual({ outcome: 'failed', failureKey: 'membership.roster.failure.changedSincePreview' });
      const v = await view(importId);
      expect(v).toMatchObject({ state: 'failed', failureKey: 'membership.roster.failure.changedSincePreview' });
      expect(v.issues).toEqual([{ line: 2, columnKey: 'membership.roster.columns.email', messageKey: 'membership.roster.errors.emailLinkedElsewhere', params: { employeeNumber: 'Z9' } }]);
      expect(await h.fresh((em) => em.count(RosterEntry))).toBe(entriesBefore);
      expect(await h.fresh((em) => em.findOne(RosterEntry, { employeeNumber: 'Q2' }))).toBeNull();
    });

    it('fails when the admin who confirmed is no longer an admin', async () => {
      const { importId } = await preview(twelveRows());
      await h.command(new ConfirmRosterImportCommand(admin.viewer, importId));
      await h.fresh((em) => em.execute(`update membership.member set role = 'member' where id = ?`, [admin.member.id]));
      expect(await h.command(new ApplyRosterImportCommand(importId))).toEqual({ outcome: 'failed', failureKey: 'membership.roster.failure.notAllowed' });
      expect(await h.fresh((em) => em.count(RosterEntry))).toBe(0);
    });
  });

  describe('access and lifecycle', () => {
    it('is for HR admins only', async () => {
      const operator = await buildMember(h.em.fork(), { status: 'employee', role: 'operator' });
      const { importId } = await preview(twelveRowsFile());
      for (const attempt of [
        () => preview(twelveRowsFile(), 'x.csv', operator.viewer),
        () => h.command(new ConfirmRosterImportCommand(operator.viewer, importId)),
        () => h.command(new DiscardRosterImportCommand(operator.viewer, importId)),
        () => h.query(new GetRosterImportQuery(operator.viewer, importId)),
        () => h.query(new ListRosterImportsQuery(operator.viewer)),
      ]) {
        await expect(attempt()).rejects.toMatchObject({ status: 403 });
      }
      expect((await view(importId)).state).toBe('previewed');
    });

    it('discards a preview (forgetting its rows) and lists imports newest first', async () => {
      const first = await preview(twelveRowsFile(), 'first.csv');
      const second = await preview(twelveRowsFile(), 'second.csv');
      await h.command(new DiscardRosterImportCommand(admin.viewer, first.importId));
      const stored = await h.fresh((em) => em.findOneOrFail(RosterImport, { id: first.importId }));
      expect(stored).toMatchObject({ state: 'discarded', rows: [] });
      await expect(h.command(new ConfirmRosterImportCommand(admin.viewer, first.importId))).rejects.toMatchObject({ code: 'membership.roster.commandErrors.notConfirmable' });
      const list = await h.query(new ListRosterImportsQuery(admin.viewer));
      expect(list.items.map((i) => [i.fileName, i.state, i.uploadedByName, i.totalRows])).toEqual([
        ['second.csv', 'previewed', '人事 管理', 12],
        ['first.csv', 'discarded', '人事 管理', 12],
      ]);
      expect(second.importId).not.toBe(first.importId);
      await expect(h.query(new GetRosterImportQuery(admin.viewer, 'not-a-uuid'))).rejects.toMatchObject({ status: 404 });
    });

    it('keeps the job queued once when the confirm button is pressed twice', async () => {
      const { importId } = await preview(twelveRowsFile());
      await h.command(new ConfirmRosterImportCommand(admin.viewer, importId));
      await h.command(new ConfirmRosterImportCommand(admin.viewer, importId));
      expect(await h.fresh((em) => em.count(OutboxMessage, { queue: ROSTER_IMPORT_QUEUE }))).toBe(1);
    });

    function twelveRowsFile(): Buffer {
      return utf8([HEADER, ...Array.from({ length: 12 }, (_, i) => `A${i},森,${i}郎,,,a${i}@example.co.jp,,,,`)]);
    }
  });

  describe('through the worker (outbox relay, BullMQ, processor)', () => {
    it('applies a confirmed import once the outbox is relayed', async () => {
      const relay = h.app.get(OutboxRelay);
      const queue = h.app.get<Queue>(getQueueToken(ROSTER_IMPORT_QUEUE));
      const { importId } = await preview(utf8([HEADER, 'W1,村上,陸,,,riku.murakami@example.co.jp,,,,']));
      await h.command(new ConfirmRosterImportCommand(admin.viewer, importId));
      await relay.drain();
      const deadline = Date.now() + 15_000;
      while ((await view(importId)).state !== 'completed' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect((await view(importId)).state).toBe('completed');
      expect(await h.fresh((em) => em.count(Invitation, { email: 'riku.murakami@example.co.jp' }))).toBe(1);
      const job = await queue.getJob(`roster-import-${importId}`);
      expect(await job?.getState()).toBe('completed');
      // Let the mail worker finish with what this test handed it.
      await relay.drain();
    });
  });

  describe('a 10,000-row file', () => {
    jest.setTimeout(300_000);

    it('previews and applies 10,000 rows in one transaction: 1,000 leavers and 9,000 invitations', async () => {
      const employees: { email: string; id: string }[] = [];
      const fork = h.em.fork();
      const members: Member[] = [];
      const profiles: Profile[] = [];
      for (let i = 0; i < 1000; i++) {
        const member = Member.seeded({ email: `staff${i}@example.co.jp`, status: 'employee', via: 'import' });
        // Every other leaver has a personal address, which the leaving mail goes to; the others get none (2025-03-31 has passed).
        const profile = new Profile(member.id, {
          familyName: '社員',
          givenName: `${i}`,
          familyNameKana: 'シャイン',
          givenNameKana: 'テスト',
          lastDepartment: '営業部',
          contactEmail: i % 2 === 0 ? `staff${i}@home.example.jp` : null,
        });
        profile.replaceCareer([{ department: '営業部', position: '', from: '2015-04', to: null }]);
        members.push(member);
        profiles.push(profile);
        employees.push({ email: member.email, id: member.id });
      }
      await fork.insertMany(Member, members);
      await fork.insertMany(Profile, profiles);

      const lines = [
        ...employees.map((e, i) => `S${String(i).padStart(5, '0')},社員,${i},シャイン,テスト,${e.email},営業部,,2015/4/1,2025/3/31`),
        ...Array.from({ length: 9000 }, (_, i) => `N${String(i).padStart(5, '0')},新人,${i},シンジン,${i % 2 ? 'タロウ' : 'ハナコ'},new${i}@example.co.jp,開発部,,2025/4/1,`),
      ];
      const file = utf8([HEADER, ...lines], '\r\n', true);
      const { importId } = await preview(file, 'all-staff.csv');
      const planned = await view(importId);
      expect(planned).toMatchObject({ totalRows: 10_000, issues: [], canConfirm: true });
      expect(planned.planned).toEqual({ invite: 9000, leave: 1000, update: 0, unchanged: 0, skipped: 0 });

      await h.command(new ConfirmRosterImportCommand(admin.viewer, importId));
      const progress: number[] = [];
      expect(await h.command(new ApplyRosterImportCommand(importId, { onProgress: (n) => void progress.push(n) }))).toEqual({ outcome: 'completed' });
      expect(progress).toEqual(Array.from({ length: 20 }, (_, i) => (i + 1) * 500));

      expect(await view(importId)).toMatchObject({ state: 'completed', processedRows: 10_000, percent: 100, applied: planned.planned, leaversNotMailed: 500 });
      expect(await count('select count(*) as n from membership.roster_entry')).toBe(10_000);
      expect(await count(`select count(*) as n from membership.invitation where status = 'employee'`)).toBe(9000);
      expect(await count(`select count(*) as n from membership.member where status = 'alumni' and departed_on = '2025-03-31'`)).toBe(1000);
      expect(await count(`select count(*) as n from membership.profile where career_at_company->0->>'to' = '2025-03'`)).toBe(1000);
      expect(await count(`select count(*) as n from platform.mail_message where template = 'membership/invitation'`)).toBe(9000);
      expect(await count(`select count(*) as n from platform.mail_message where template = 'membership/left-company'`)).toBe(500);
      expect(await count(`select count(*) as n from platform.mail_message where template = 'membership/left-company' and "to" like '%@home.example.jp'`)).toBe(500);
      expect(await count('select count(*) as n from platform.outbox where name = ?', [MembershipEvents.memberStatusChanged])).toBe(1000);
      expect(await count('select count(*) as n from membership.roster_entry where member_id is not null')).toBe(1000);

      // The same file again: everything unchanged, nothing sent.
      const again = await preview(file, 'all-staff.csv');
      expect((await view(again.importId)).planned).toEqual({ invite: 0, leave: 0, update: 0, unchanged: 10_000, skipped: 0 });
    });
  });
});
