import { Logger } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EntityManager, FlushMode } from '@mikro-orm/postgresql';
import { AppConfig } from '@libs/config';
import { DomainError, ForbiddenError } from '@libs/ddd';
import { AccessPolicy } from '@libs/security/access-policy';
import { Invitation, INVITATION_LIFETIME_DAYS } from '../../domain/invitation.entity';
import { Member } from '../../domain/member.entity';
import { Profile } from '../../domain/profile.entity';
import { RosterEntry } from '../../domain/roster-entry.entity';
import { RosterChangedSincePreviewError } from '../../domain/roster-import.errors';
import type { RosterImportCounts } from '../../domain/roster-import.entity';
import type { RosterIssue, RosterRow } from '../../roster/roster-csv';
import { planRoster, type RosterDecision } from '../../roster/roster-plan';
import { recordDeparture } from '../manage-member/member-departure';
import { MembershipMailer } from '../membership-mailer';
import { toViewer } from '../viewer';
import { loadRosterSnapshot } from './roster-snapshot';

export const ROSTER_BATCH_SIZE = 500;
/** Key of the PostgreSQL advisory lock that lets one roster import apply at a time. */
const ROSTER_APPLY_LOCK = 7_310_001;

export type ApplyRosterImportOutcome = 'completed' | 'skipped' | 'failed';

/**
 * Applies a confirmed import (run by the worker's roster-import job). Idempotent: an import that is no longer
 * queued or running, or whose `roster-import:<id>` key is already in platform.processed_job, is skipped.
 */
export class ApplyRosterImportCommand extends Command<{ outcome: ApplyRosterImportOutcome; failureKey?: string }> {
  constructor(
    readonly importId: string,
    readonly options: {
      /** False while the queue will try again: an unexpected error puts the import back to `queued`. */
      finalAttempt?: boolean;
      batchSize?: number;
      /** Called after each batch with the rows done so far (tests follow the progress with it). */
      onProgress?: (processedRows: number) => Promise<void> | void;
    } = {},
  ) {
    super();
  }
}

class ChangedSincePreview extends RosterChangedSincePreviewError {
  constructor(readonly issues: RosterIssue[]) {
    super();
  }
}

/**
 * All rows are applied in ONE transaction (all or nothing), batch by batch; after each batch the number of rows
 * done is written through another connection, so the page shows progress while the transaction is open. The plan
 * is decided again against the database as it is now; if that finds problems the preview did not have, nothing is
 * applied.
 */
@CommandHandler(ApplyRosterImportCommand)
export class ApplyRosterImportHandler implements ICommandHandler<ApplyRosterImportCommand> {
  private readonly logger = new Logger('RosterImport');

  constructor(
    private readonly em: EntityManager,
    private readonly mailer: MembershipMailer,
    private readonly config: AppConfig,
  ) {}

  async execute({ importId, options }: ApplyRosterImportCommand): Promise<{ outcome: ApplyRosterImportOutcome; failureKey?: string }> {
    // Progress and state are written outside the import's transaction, on their own connection.
    const status = this.em.fork();
    const started = await status.execute<{ id: string }[]>(
      `update membership.roster_import set state = 'running', started_at = coalesce(started_at, now()), processed_rows = 0, failure_reason = null
        where id = ? and state in ('queued', 'running') returning id`,
      [importId],
    );
    if (started.length === 0) return { outcome: 'skipped' };

    try {
      const work = this.em.fork({ flushMode: FlushMode.COMMIT });
      const applied = await work.transactional((tx) => this.apply(tx, status, importId, options));
      return { outcome: applied ? 'completed' : 'skipped' };
    } catch (error) {
      if (error instanceof DomainError) {
        const failureKey = error instanceof ForbiddenError ? 'membership.roster.failure.notAllowed' : error.code;
        await this.fail(status, importId, failureKey, error instanceof ChangedSincePreview ? error.issues : undefined);
        return { outcome: 'failed', failureKey };
      }
      this.logger.error({ err: error, importId }, 'roster import failed');
      if (options.finalAttempt === false) {
        await status.execute(`update membership.roster_import set state = 'queued', processed_rows = 0 where id = ? and state = 'running'`, [importId]);
      } else {
        await this.fail(status, importId, 'membership.roster.failure.unexpected');
      }
      throw error;
    }
  }

  private async fail(status: EntityManager, importId: string, failureKey: string, issues?: RosterIssue[]): Promise<void> {
    await status.execute(
      `update membership.roster_import
          set state = 'failed', failure_reason = ?, finished_at = now(), processed_rows = 0, rows = '[]'${issues ? ', issues = ?' : ''}
        where id = ? and state in ('queued', 'running')`,
      issues ? [failureKey, JSON.stringify(issues), importId] : [failureKey, importId],
    );
  }

  private async apply(tx: EntityManager, status: EntityManager, importId: string, options: ApplyRosterImportCommand['options']): Promise<boolean> {
    await tx.execute('select pg_advisory_xact_lock(?)', [ROSTER_APPLY_LOCK]);
    const claimed = await tx.execute<{ key: string }[]>(
      'insert into platform.processed_job (key, processed_at) values (?, now()) on conflict do nothing returning key',
      [`roster-import:${importId}`],
    );
    if (claimed.length === 0) return false;

    const [upload] = await tx.execute<{ rows: RosterRow[]; confirmed_by: string; state: string }[]>(
      'select rows, confirmed_by, state from membership.roster_import where id = ?',
      [importId],
    );
    if (!upload || upload.state !== 'running') return false;

    // The job acts for the admin who confirmed; they must still be one.
    const actor = await tx.findOne(Member, { id: upload.confirmed_by });
    const actorProfile = actor ? await tx.findOne(Profile, { memberId: actor.id }) : null;
    if (!actor || !AccessPolicy.isAdmin(toViewer(actor, actorProfile))) throw new ForbiddenError();
    const inviter = actorProfile?.displayName ?? '';

    const rows = upload.rows;
    const plan = planRoster(rows, await loadRosterSnapshot(tx, rows));
    if (plan.issues.length > 0) throw new ChangedSincePreview(plan.issues);
    tx.clear();

    const batchSize = options.batchSize ?? ROSTER_BATCH_SIZE;
    let processed = 0;
    const mailed = { notMailed: 0 };
    for (let i = 0; i < plan.decisions.length; i += batchSize) {
      const batch = plan.decisions.slice(i, i + batchSize);
      await this.applyBatch(tx, importId, actor.id, inviter, batch, mailed);
      await tx.flush();
      tx.clear();
      processed += batch.length;
      await status.execute('update membership.roster_import set processed_rows = ? where id = ?', [processed, importId]);
      await options.onProgress?.(processed);
    }

    const applied: RosterImportCounts = plan.counts;
    await tx.execute(
      // clock_timestamp(): now() would be the start of this transaction.
      `update membership.roster_import set state = 'completed', applied = ?, processed_rows = ?, leavers_not_mailed = ?, finished_at = clock_timestamp(), rows = '[]' where id = ?`,
      [JSON.stringify(applied), rows.length, mailed.notMailed, importId],
    );
    return true;
  }

  private async applyBatch(tx: EntityManager, importId: string, actorId: string, inviter: string, batch: RosterDecision[], mailed: { notMailed: number }): Promise<void> {
    const changing = batch.filter((d) => d.kind !== 'unchanged');
    if (changing.length === 0) return;
    const known = changing.filter((d) => !d.isNew).map((d) => d.row.employeeNumber);
    const entries = new Map((known.length ? await tx.find(RosterEntry, { employeeNumber: { $in: known } }) : []).map((e) => [e.employeeNumber, e]));
    const leaverIds = changing.map((d) => d.leaverMemberId).filter((id): id is string => id !== null);
    const leavers = new Map((leaverIds.length ? await tx.find(Member, { id: { $in: leaverIds } }) : []).map((m) => [m.id, m]));
    const profiles = new Map((leaverIds.length ? await tx.find(Profile, { memberId: { $in: leaverIds } }) : []).map((p) => [p.memberId, p]));

    for (const d of changing) {
      let entry = entries.get(d.row.employeeNumber);
      if (!entry) {
        entry = RosterEntry.fromRow(d.row, importId);
        tx.persist(entry);
      } else if (d.changedFields.length > 0) {
        entry.takeRow(d.row, importId);
      }
      if (d.linkMemberId) entry.linkMember(d.linkMemberId);
      if (d.invite) {
        const { invitation, token } = Invitation.create({ email: d.row.email, status: 'employee', invitedBy: actorId });
        tx.persist(invitation);
        await this.mailer.queue(tx, `invitation:${invitation.id}`, invitation.email, this.config.defaultLocale, 'invitation', {
          inviter,
          message: '',
          days: INVITATION_LIFETIME_DAYS,
          url: this.mailer.link(`/invitations/${token}`),
        });
        entry.recordInvitation(invitation.id);
      }
      if (d.leaverMemberId && d.row.leftOn) {
        const member = leavers.get(d.leaverMemberId);
        if (member) {
          const recipient = await recordDeparture(tx, this.mailer, member, profiles.get(member.id) ?? null, d.row.leftOn);
          if (recipient.to === null) mailed.notMailed += 1;
        }
      }
    }
  }
}
