import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import type { MemberStatus } from '@libs/security/access-policy';
import {
  GetRosterImportQuery,
  ListRosterImportsQuery,
  type Page,
  type RosterChangeView,
  type RosterCountsView,
  type RosterImportSummaryView,
  type RosterImportView,
  type RosterIssueView,
} from '../../contracts';
import { ROSTER_CHANGES_PER_KIND, RosterImport } from '../../domain/roster-import.entity';
import { ROSTER_DATE_FIELDS } from '../../roster/roster-plan';
import { findRosterImport, requireRosterAdmin } from './preview-roster-import.handler';

const PAGE_SIZE = 20;
export const ROSTER_ISSUES_SHOWN = 500;

const safePage = (n: number) => (Number.isInteger(n) && n > 0 && n < 100_000 ? n : 1);

async function namesOf(em: EntityManager, ids: (string | undefined)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (wanted.length === 0) return new Map();
  const rows = await em.execute<{ member_id: string; name: string; status: MemberStatus }[]>(
    `select p.member_id, p.family_name || ' ' || p.given_name as name, m.status
       from membership.profile p join membership.member m on m.id = p.member_id where p.member_id in (?)`,
    [wanted],
  );
  return new Map(rows.filter((r) => r.status !== 'deleted').map((r) => [r.member_id, r.name]));
}

function summary(upload: RosterImport, names: Map<string, string>): RosterImportSummaryView {
  return {
    importId: upload.id,
    fileName: upload.fileName,
    state: upload.state,
    uploadedAt: upload.createdAt,
    uploadedByName: names.get(upload.uploadedBy) ?? null,
    totalRows: upload.totalRows,
    issueCount: upload.issues.length,
    counts: { ...(upload.applied ?? upload.planned) } as RosterCountsView,
    finishedAt: upload.finishedAt ?? null,
  };
}

@QueryHandler(ListRosterImportsQuery)
export class ListRosterImportsHandler implements IQueryHandler<ListRosterImportsQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ actor, page: pageNo }: ListRosterImportsQuery): Promise<Page<RosterImportSummaryView>> {
    requireRosterAdmin(actor);
    const n = safePage(pageNo);
    // The rows and plan sample can be large: the list leaves them out.
    const [uploads, total] = await this.em.findAndCount(
      RosterImport,
      {},
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: PAGE_SIZE, offset: (n - 1) * PAGE_SIZE, exclude: ['rows', 'changes'] },
    );
    const names = await namesOf(this.em, uploads.map((u) => u.uploadedBy));
    return { items: uploads.map((u) => summary(u as RosterImport, names)), total, page: n, pageSize: PAGE_SIZE, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
  }
}

@QueryHandler(GetRosterImportQuery)
export class GetRosterImportHandler implements IQueryHandler<GetRosterImportQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ actor, importId }: GetRosterImportQuery): Promise<RosterImportView> {
    requireRosterAdmin(actor);
    const upload = await findRosterImport(this.em, importId, { withoutRows: true });
    const names = await namesOf(this.em, [upload.uploadedBy, upload.confirmedBy]);
    const issues: RosterIssueView[] = upload.issues.slice(0, ROSTER_ISSUES_SHOWN).map((issue) => ({
      line: issue.line,
      columnKey: issue.column ? `membership.roster.columns.${issue.column}` : null,
      messageKey: issue.code,
      params: { ...(issue.params ?? {}) },
    }));
    const changes: RosterChangeView[] = upload.changes.map((c) => ({
      line: c.line,
      employeeNumber: c.employeeNumber,
      name: c.name,
      email: c.email,
      kind: c.kind,
      fieldKeys: (c.fields ?? []).map((f) => (f === 'member' ? 'membership.roster.plan.member' : `membership.roster.columns.${f}`)),
      fieldChanges: (c.diffs ?? []).map((d) => ({
        field: d.field,
        fieldKey: `membership.roster.columns.${d.field}`,
        from: d.from,
        to: d.to,
        isDate: ROSTER_DATE_FIELDS.includes(d.field),
      })),
      linksMember: (c.fields ?? []).includes('member'),
    }));
    const done = upload.state === 'completed' ? upload.totalRows : upload.processedRows;
    return {
      ...summary(upload, names),
      fileSize: upload.fileSize,
      encoding: upload.encoding ?? null,
      planned: { ...upload.planned },
      applied: upload.applied ? { ...upload.applied } : null,
      processedRows: done,
      percent: upload.totalRows > 0 ? Math.min(100, Math.floor((done * 100) / upload.totalRows)) : 0,
      confirmedAt: upload.confirmedAt ?? null,
      confirmedByName: upload.confirmedBy ? (names.get(upload.confirmedBy) ?? null) : null,
      startedAt: upload.startedAt ?? null,
      failureKey: upload.failureReason ?? null,
      leaversNotMailed: upload.leaversNotMailed ?? null,
      changes,
      changesLimit: ROSTER_CHANGES_PER_KIND,
      issues,
      issuesLimit: ROSTER_ISSUES_SHOWN,
      canConfirm: upload.canConfirm,
      canDiscard: upload.canDiscard,
      inProgress: upload.inProgress,
    };
  }
}
