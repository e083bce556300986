import { randomUUID } from 'node:crypto';
import { CommandBus, CommandHandler, QueryBus, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral } from '@libs/database/array-literal';
import { DomainError, ForbiddenError } from '@libs/ddd';
import { isUuid } from '@libs/ddd/ids';
import { integrationEvent, Outbox } from '@libs/outbox';
import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import { GetMemberNamesQuery, type MemberNameView } from '@modules/membership/contracts';
import { RecordAuditEventCommand } from '@modules/privacy/contracts';
import {
  CountOpenModerationCasesQuery,
  DECISION_NOTE_MAX,
  DecideModerationCommand,
  GetModerationHistoryQuery,
  ListModerationQueueQuery,
  MODERATION_DECISIONS,
  MODERATION_PAGE_SIZE,
  ModerationEvents,
  REPORT_REASON_MAX,
  ReportContentCommand,
  type ModerationCaseView,
  type ModerationHistoryEntryView,
  type ModerationQueueView,
} from '../contracts';

const SUBJECT_TYPE = /^[a-z][a-z-]{1,30}$/;

export class ModerationInputError extends DomainError {
  constructor(field: 'reason' | 'note' | 'decision', max?: number) {
    super(max ? 'moderation.errors.tooLong' : `moderation.errors.${field}`, { field, params: max ? { max } : undefined });
  }
}

function requireOperator(viewer: Viewer): void {
  if (!AccessPolicy.isOperator(viewer)) throw new ForbiddenError();
}

async function namesOf(queries: QueryBus, ids: (string | null)[], locale: 'ja' | 'en'): Promise<Map<string, MemberNameView>> {
  const names = await queries.execute(new GetMemberNamesQuery(ids.filter((id): id is string => !!id), locale));
  return new Map(names.map((n) => [n.memberId, n]));
}

@CommandHandler(ReportContentCommand)
export class ReportContentHandler implements ICommandHandler<ReportContentCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ reporter, subject, reason }: ReportContentCommand): Promise<{ reportId: string; openReporters: number; duplicate: boolean }> {
    if (!AccessPolicy.isMember(reporter)) throw new ForbiddenError();
    const text = reason.trim();
    if (!text) throw new ModerationInputError('reason');
    if ([...text].length > REPORT_REASON_MAX) throw new ModerationInputError('reason', REPORT_REASON_MAX);
    if (!SUBJECT_TYPE.test(subject.type) || !subject.id) throw new ForbiddenError();
    const em = this.em.fork();
    const id = randomUUID();
    const inserted = await em.execute<{ id: string }[]>(
      `insert into moderation.report (id, subject_type, subject_id, subject_author_id, excerpt, link, reporter_id, reason, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, clock_timestamp())
       on conflict (subject_type, subject_id, reporter_id) where decision_id is null do nothing returning id`,
      [id, subject.type, subject.id, subject.authorId, subject.excerpt, subject.link.startsWith('/') ? subject.link : '/', reporter.memberId, text],
    );
    const [row] = await em.execute<{ n: string; mine: string | null }[]>(
      `select count(distinct reporter_id) as n, max(case when reporter_id = ? then id::text end) as mine
         from moderation.report where subject_type = ? and subject_id = ? and decision_id is null`,
      [reporter.memberId, subject.type, subject.id],
    );
    return { reportId: inserted[0]?.id ?? row.mine ?? id, openReporters: Number(row.n), duplicate: inserted.length === 0 };
  }
}

@CommandHandler(DecideModerationCommand)
export class DecideModerationHandler implements ICommandHandler<DecideModerationCommand> {
  constructor(
    private readonly em: EntityManager,
    private readonly commands: CommandBus,
  ) {}

  async execute({ operator, subject, decision, note }: DecideModerationCommand): Promise<{ decisionId: string; closedReports: number }> {
    requireOperator(operator);
    if (!MODERATION_DECISIONS.includes(decision)) throw new ModerationInputError('decision');
    if (!SUBJECT_TYPE.test(subject.type) || !subject.id || subject.id.length > 100) throw new ForbiddenError();
    const text = (note ?? '').trim();
    if ([...text].length > DECISION_NOTE_MAX) throw new ModerationInputError('note', DECISION_NOTE_MAX);
    const decisionId = randomUUID();
    let closed = 0;
    await this.em.fork().transactional(async (tx) => {
      const [author] = await tx.execute<{ subject_author_id: string | null }[]>(
        'select subject_author_id from moderation.report where subject_type = ? and subject_id = ? order by created_at desc limit 1',
        [subject.type, subject.id],
      );
      await tx.execute(
        `insert into moderation.decision (id, subject_type, subject_id, subject_author_id, decision, note, decided_by, decided_by_name, decided_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, clock_timestamp())`,
        [decisionId, subject.type, subject.id, author?.subject_author_id ?? null, decision, text, operator.memberId, operator.displayName],
      );
      const rows = await tx.execute<unknown[]>(
        'update moderation.report set decision_id = ? where subject_type = ? and subject_id = ? and decision_id is null returning 1',
        [decisionId, subject.type, subject.id],
      );
      closed = rows.length;
      Outbox.publish(tx, integrationEvent(ModerationEvents.decided, { subjectType: subject.type, subjectId: subject.id, decision, decisionId }));
    });
    await this.commands.execute(
      new RecordAuditEventCommand(operator, 'moderation.decided', { detail: { subjectType: subject.type, subjectId: subject.id, decision, note: text, closedReports: closed } }),
    );
    return { decisionId, closedReports: closed };
  }
}

interface ReportRow {
  id: string;
  subject_type: string;
  subject_id: string;
  subject_author_id: string | null;
  excerpt: string;
  link: string;
  reporter_id: string;
  reason: string;
  created_at: Date;
}

@QueryHandler(ListModerationQueueQuery)
export class ListModerationQueueHandler implements IQueryHandler<ListModerationQueueQuery> {
  constructor(
    private readonly em: EntityManager,
    private readonly queries: QueryBus,
  ) {}

  async execute({ operator, page, locale }: ListModerationQueueQuery): Promise<ModerationQueueView> {
    requireOperator(operator);
    const em = this.em.fork();
    const [{ n }] = await em.execute<{ n: string }[]>(`select count(distinct (subject_type, subject_id)) as n from moderation.report where decision_id is null`);
    const total = Number(n);
    const pages = Math.max(1, Math.ceil(total / MODERATION_PAGE_SIZE));
    const current = Math.min(Math.max(1, Math.trunc(page) || 1), pages);
    const subjects = await em.execute<{ subject_type: string; subject_id: string; first: Date }[]>(
      `select subject_type, subject_id, min(created_at) as first from moderation.report where decision_id is null
        group by subject_type, subject_id order by min(created_at), subject_type, subject_id limit ? offset ?`,
      [MODERATION_PAGE_SIZE, (current - 1) * MODERATION_PAGE_SIZE],
    );
    if (subjects.length === 0) return { items: [], total, page: current, pages };
    const reports = await em.execute<ReportRow[]>(
      `select * from moderation.report where decision_id is null and (subject_type, subject_id) in (select * from unnest(?::text[], ?::text[])) order by created_at`,
      [arrayLiteral(subjects.map((s) => s.subject_type)), arrayLiteral(subjects.map((s) => s.subject_id))],
    );
    const names = await namesOf(this.queries, reports.flatMap((r) => [r.reporter_id, r.subject_author_id]), locale);
    const items: ModerationCaseView[] = subjects.map((s) => {
      const mine = reports.filter((r) => r.subject_type === s.subject_type && r.subject_id === s.subject_id);
      const latest = mine[mine.length - 1];
      return {
        subject: { type: s.subject_type, id: s.subject_id },
        authorId: latest?.subject_author_id ?? null,
        authorName: (latest?.subject_author_id && names.get(latest.subject_author_id)?.displayName) || '',
        excerpt: latest?.excerpt ?? '',
        link: latest?.link ?? '/',
        reports: mine.map((r) => ({ id: r.id, reporterId: r.reporter_id, reporterName: names.get(r.reporter_id)?.displayName ?? '', reason: r.reason, createdAt: r.created_at })),
        firstReportedAt: s.first,
        reporters: new Set(mine.map((r) => r.reporter_id)).size,
      };
    });
    return { items, total, page: current, pages };
  }
}

@QueryHandler(GetModerationHistoryQuery)
export class GetModerationHistoryHandler implements IQueryHandler<GetModerationHistoryQuery> {
  constructor(
    private readonly em: EntityManager,
    private readonly queries: QueryBus,
  ) {}

  async execute({ operator, memberId, locale }: GetModerationHistoryQuery) {
    requireOperator(operator);
    if (!isUuid(memberId)) return { memberId, memberName: '', entries: [] };
    const em = this.em.fork();
    const [reports, decisions] = await Promise.all([
      em.execute<ReportRow[]>('select * from moderation.report where subject_author_id = ? order by created_at desc limit 200', [memberId]),
      em.execute<{ subject_type: string; subject_id: string; decision: 'hide' | 'keep' | 'dismiss'; note: string; decided_by_name: string; decided_at: Date }[]>(
        'select * from moderation.decision where subject_author_id = ? order by decided_at desc limit 200',
        [memberId],
      ),
    ]);
    const names = await namesOf(this.queries, [memberId, ...reports.map((r) => r.reporter_id)], locale);
    const excerpts = new Map(reports.map((r) => [`${r.subject_type}:${r.subject_id}`, { excerpt: r.excerpt, link: r.link }]));
    const entries: ModerationHistoryEntryView[] = [
      ...reports.map((r) => ({
        kind: 'report' as const,
        at: r.created_at,
        subject: { type: r.subject_type, id: r.subject_id },
        excerpt: r.excerpt,
        link: r.link,
        text: r.reason,
        decision: null,
        byName: names.get(r.reporter_id)?.displayName ?? '',
      })),
      ...decisions.map((d) => ({
        kind: 'decision' as const,
        at: d.decided_at,
        subject: { type: d.subject_type, id: d.subject_id },
        excerpt: excerpts.get(`${d.subject_type}:${d.subject_id}`)?.excerpt ?? '',
        link: excerpts.get(`${d.subject_type}:${d.subject_id}`)?.link ?? '/',
        text: d.note,
        decision: d.decision,
        byName: d.decided_by_name,
      })),
    ].sort((a, b) => new Date(b.at).getTime() - new Date(a.at).getTime());
    return { memberId, memberName: names.get(memberId)?.displayName ?? '', entries };
  }
}

@QueryHandler(CountOpenModerationCasesQuery)
export class CountOpenModerationCasesHandler implements IQueryHandler<CountOpenModerationCasesQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ operator }: CountOpenModerationCasesQuery): Promise<number> {
    if (!AccessPolicy.isOperator(operator)) return 0;
    const [{ n }] = await this.em.fork().execute<{ n: string }[]>(`select count(distinct (subject_type, subject_id)) as n from moderation.report where decision_id is null`);
    return Number(n);
  }
}
