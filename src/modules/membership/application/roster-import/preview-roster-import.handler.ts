import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { ForbiddenError } from '@libs/ddd';
import { Outbox } from '@libs/outbox';
import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import { ConfirmRosterImportCommand, DiscardRosterImportCommand, PreviewRosterImportCommand } from '../../contracts';
import { RosterImport } from '../../domain/roster-import.entity';
import { RosterFileRejectedError, RosterImportNotFoundError } from '../../domain/roster-import.errors';
import { APPLY_ROSTER_IMPORT_JOB, ROSTER_IMPORT_QUEUE, rosterImportJobId, type ApplyRosterImportPayload } from '../../jobs/roster-import.queue';
import { parseRoster } from '../../roster/roster-csv';
import { planRoster } from '../../roster/roster-plan';
import { loadRosterSnapshot } from './roster-snapshot';

export function requireRosterAdmin(actor: Viewer): void {
  if (!AccessPolicy.isAdmin(actor)) throw new ForbiddenError();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function findRosterImport(em: EntityManager, importId: string, options: { lock?: boolean; withoutRows?: boolean } = {}): Promise<RosterImport> {
  // Without its rows (for pages) the entity is partial; nothing reads them there.
  const found = UUID.test(importId)
    ? ((await em.findOne(RosterImport, { id: importId }, { ...(options.lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {}), ...(options.withoutRows ? { exclude: ['rows'] as const } : {}) })) as RosterImport | null)
    : null;
  if (!found) throw new RosterImportNotFoundError();
  return found;
}

/** The name as the admin gave it, without any folder, at most 200 characters. */
function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = [...base.normalize('NFC')].filter((c) => c >= ' ' && c !== '\u007f').slice(0, 200).join('').trim();
  return cleaned || 'roster.csv';
}

/** The dry run: reads the file, compares every row with the roster and the members, and keeps the result. */
@CommandHandler(PreviewRosterImportCommand)
export class PreviewRosterImportHandler implements ICommandHandler<PreviewRosterImportCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ actor, fileName, file }: PreviewRosterImportCommand): Promise<{ importId: string }> {
    requireRosterAdmin(actor);
    if (!file || file.length === 0) throw new RosterFileRejectedError('membership.roster.upload.noFile');
    const parsed = parseRoster(file);
    const wholeFile = parsed.issues.find((issue) => issue.line === null);
    if (wholeFile) throw new RosterFileRejectedError(wholeFile.code, wholeFile.params);

    const upload = RosterImport.upload({ uploadedBy: actor.memberId, fileName: cleanFileName(fileName), fileSize: file.length, parsed });
    upload.recordPlan(planRoster(parsed.rows, await loadRosterSnapshot(this.em, parsed.rows)));
    await this.em.persist(upload).flush();
    return { importId: upload.id };
  }
}

/** Confirming queues the job in the same transaction: the job exists if and only if the import is `queued`. */
@CommandHandler(ConfirmRosterImportCommand)
export class ConfirmRosterImportHandler implements ICommandHandler<ConfirmRosterImportCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ actor, importId }: ConfirmRosterImportCommand): Promise<void> {
    requireRosterAdmin(actor);
    await this.em.transactional(async (tx) => {
      const upload = await findRosterImport(tx, importId, { lock: true });
      // A second click on the same button (or a resent form) finds the job already queued: nothing more to do.
      if (upload.inProgress && upload.confirmedBy === actor.memberId) return;
      upload.confirm(actor.memberId);
      const payload: ApplyRosterImportPayload = { importId: upload.id };
      Outbox.enqueue(tx, { queue: ROSTER_IMPORT_QUEUE, name: APPLY_ROSTER_IMPORT_JOB, payload: { ...payload }, jobId: rosterImportJobId(upload.id) });
    });
  }
}

@CommandHandler(DiscardRosterImportCommand)
export class DiscardRosterImportHandler implements ICommandHandler<DiscardRosterImportCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ actor, importId }: DiscardRosterImportCommand): Promise<void> {
    requireRosterAdmin(actor);
    await this.em.transactional(async (tx) => {
      const upload = await findRosterImport(tx, importId, { lock: true });
      if (upload.state === 'discarded') return;
      upload.discard();
    });
  }
}
