import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { ForbiddenError } from '@libs/ddd';
import { AccessPolicy, MEMBER_STATUSES, type MemberStatus, type Viewer } from '@libs/security/access-policy';
import {
  CountMembersByStatusQuery,
  GetApplicationQuery,
  GetMemberForAdminQuery,
  ListApplicationsQuery,
  ListInvitationsQuery,
  ListMembersQuery,
  type AdminMemberView,
  type ApplicationView,
  type InvitationView,
  type MemberListItemView,
  type MemberSummaryView,
  type Page,
} from '../../contracts';
import { Invitation } from '../../domain/invitation.entity';
import { MemberNotFoundError } from '../../domain/membership.errors';
import { deletedMemberName } from '../personal-data/deleted-member';
import { memberListConditions } from './member-list-conditions';

const PAGE_SIZE = 30;

function requireOperator(actor: Viewer): void {
  if (!AccessPolicy.isOperator(actor)) throw new ForbiddenError();
}

function page<T>(items: T[], total: number, pageNo: number, pageSize = PAGE_SIZE): Page<T> {
  return { items, total, page: pageNo, pageSize, pages: Math.max(1, Math.ceil(total / pageSize)) };
}

const safePage = (n: number) => (Number.isInteger(n) && n > 0 && n < 100_000 ? n : 1);

interface ApplicationRow {
  id: string;
  email: string;
  email_verified_at: Date | null;
  family_name: string;
  given_name: string;
  family_name_kana: string;
  given_name_kana: string;
  applied_as: 'employee' | 'alumni';
  last_department: string | null;
  joined_year: number | null;
  left_year: number | null;
  application_note: string | null;
  created_at: Date;
  application_state: 'submitted' | 'approved' | 'declined';
  decline_reason: string | null;
  status: MemberStatus;
  total?: string;
}

const APPLICATION_SELECT = `
  select m.id, m.email, m.email_verified_at, p.family_name, p.given_name, p.family_name_kana, p.given_name_kana,
         m.applied_as, p.last_department, p.joined_year, p.left_year, m.application_note, m.created_at,
         m.application_state, m.status, m.decline_reason
    from membership.member m join membership.profile p on p.member_id = m.id`;

function toApplication(r: ApplicationRow, locale: Viewer['locale']): ApplicationView {
  const deleted = r.status === 'deleted';
  return {
    memberId: r.id,
    email: r.email,
    emailVerified: !!r.email_verified_at,
    displayName: deleted ? deletedMemberName(locale) : `${r.family_name} ${r.given_name}`,
    kana: deleted ? '' : `${r.family_name_kana} ${r.given_name_kana}`,
    appliedAs: r.applied_as,
    lastDepartment: r.last_department,
    joinedYear: r.joined_year,
    leftYear: r.left_year,
    note: r.application_note,
    appliedAt: new Date(r.created_at),
    state: r.application_state,
    declineReason: r.decline_reason,
  };
}

@QueryHandler(ListApplicationsQuery)
export class ListApplicationsHandler implements IQueryHandler<ListApplicationsQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ actor, state, page: pageNo }: ListApplicationsQuery): Promise<Page<ApplicationView>> {
    requireOperator(actor);
    const n = safePage(pageNo);
    const rows = await this.em.execute<ApplicationRow[]>(
      `${APPLICATION_SELECT.replace('m.decline_reason', 'm.decline_reason, count(*) over () as total')}
        where m.application_state = ? order by m.created_at ${state === 'submitted' ? 'asc' : 'desc'} limit ? offset ?`,
      [state, PAGE_SIZE, (n - 1) * PAGE_SIZE],
    );
    return page(rows.map((r) => toApplication(r, actor.locale)), Number(rows[0]?.total ?? 0), n);
  }
}

@QueryHandler(GetApplicationQuery)
export class GetApplicationHandler implements IQueryHandler<GetApplicationQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ actor, memberId }: GetApplicationQuery): Promise<ApplicationView> {
    requireOperator(actor);
    if (!/^[0-9a-f-]{36}$/i.test(memberId)) throw new MemberNotFoundError();
    const [row] = await this.em.execute<ApplicationRow[]>(`${APPLICATION_SELECT} where m.id = ? and m.application_state is not null`, [memberId]);
    if (!row) throw new MemberNotFoundError();
    return toApplication(row, actor.locale);
  }
}

interface MemberRow {
  id: string;
  email: string;
  family_name: string;
  given_name: string;
  family_name_kana: string;
  given_name_kana: string;
  status: MemberStatus;
  role: Viewer['role'];
  last_department: string | null;
  departed_on: string | null;
  created_at: Date;
  last_login_at: Date | null;
  has_personal_address: boolean;
  total?: string;
}

/** A deleted member is named 退会したメンバー / "Deleted member" in the admin's language. */
function toSummary(r: MemberRow, locale: Viewer['locale']): MemberSummaryView {
  const deleted = r.status === 'deleted';
  return {
    memberId: r.id,
    displayName: deleted ? deletedMemberName(locale) : `${r.family_name} ${r.given_name}`,
    kana: deleted ? '' : `${r.family_name_kana} ${r.given_name_kana}`,
    email: r.email,
    status: r.status,
    role: r.role,
    lastDepartment: r.last_department,
    departedOn: r.departed_on ? String(r.departed_on).slice(0, 10) : null,
    joinedAt: new Date(r.created_at),
    lastLoginAt: r.last_login_at ? new Date(r.last_login_at) : null,
    hasPersonalAddress: !!r.has_personal_address,
  };
}

const MEMBER_SELECT = `
  select m.id, m.email, p.family_name, p.given_name, p.family_name_kana, p.given_name_kana, m.status, m.role,
         p.last_department, m.departed_on, m.created_at, m.last_login_at, (p.contact_email is not null) as has_personal_address`;

/** The admins' member list: name, reading, romaji or e-mail contains the words; filters by status and role. */
@QueryHandler(ListMembersQuery)
export class ListMembersHandler implements IQueryHandler<ListMembersQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ actor, filter, page: pageNo }: ListMembersQuery): Promise<Page<MemberListItemView>> {
    requireOperator(actor);
    const n = safePage(pageNo);
    const { where, params } = memberListConditions(filter);
    const from = `from membership.member m join membership.profile p on p.member_id = m.id ${where.length ? `where ${where.join(' and ')}` : ''}`;
    // Page and count apart: the page walks the kana index and stops after one page; the count is an index-only scan.
    const [rows, [count]] = await Promise.all([
      this.em.execute<MemberRow[]>(`${MEMBER_SELECT} ${from} order by p.family_name_kana, p.given_name_kana, p.member_id limit ? offset ?`, [
        ...params,
        PAGE_SIZE,
        (n - 1) * PAGE_SIZE,
      ]),
      this.em.execute<{ n: string }[]>(`select count(*) as n ${from}`, params),
    ]);
    // Sign-in addresses in the list are for HR admins only (see MemberListItemView).
    const showEmail = AccessPolicy.isAdmin(actor);
    return page(rows.map((r) => ({ ...toSummary(r, actor.locale), ...(showEmail ? {} : { email: null }) })), Number(count?.n ?? 0), n);
  }
}

@QueryHandler(GetMemberForAdminQuery)
export class GetMemberForAdminHandler implements IQueryHandler<GetMemberForAdminQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ actor, memberId }: GetMemberForAdminQuery): Promise<AdminMemberView> {
    requireOperator(actor);
    if (!/^[0-9a-f-]{36}$/i.test(memberId)) throw new MemberNotFoundError();
    const [row] = await this.em.execute<(MemberRow & { email_verified_at: Date | null; joined_via: string; suspended_at: Date | null; suspension_reason: string | null; status_before_suspension: MemberStatus | null; application_state: string | null; decline_reason: string | null })[]>(
      `${MEMBER_SELECT}, m.email_verified_at, m.joined_via, m.suspended_at, m.suspension_reason, m.status_before_suspension,
              m.application_state, m.decline_reason
         from membership.member m join membership.profile p on p.member_id = m.id where m.id = ?`,
      [memberId],
    );
    if (!row) throw new MemberNotFoundError();
    return {
      ...toSummary(row, actor.locale),
      emailVerified: !!row.email_verified_at,
      joinedVia: row.joined_via,
      suspendedAt: row.suspended_at ? new Date(row.suspended_at) : null,
      suspensionReason: row.suspension_reason,
      statusBeforeSuspension: row.status_before_suspension,
      applicationState: row.application_state,
      declineReason: row.decline_reason,
    };
  }
}

@QueryHandler(ListInvitationsQuery)
export class ListInvitationsHandler implements IQueryHandler<ListInvitationsQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ actor, page: pageNo }: ListInvitationsQuery): Promise<Page<InvitationView>> {
    requireOperator(actor);
    const n = safePage(pageNo);
    const [invitations, total] = await this.em.findAndCount(Invitation, {}, { orderBy: { createdAt: 'desc' }, limit: PAGE_SIZE, offset: (n - 1) * PAGE_SIZE });
    const inviterIds = [...new Set(invitations.map((i) => i.invitedBy))];
    const names = inviterIds.length
      ? await this.em.execute<{ member_id: string; name: string; status: MemberStatus }[]>(
          `select p.member_id, p.family_name || ' ' || p.given_name as name, m.status
             from membership.profile p join membership.member m on m.id = p.member_id where p.member_id in (?)`,
          [inviterIds],
        )
      : [];
    const byId = new Map(names.map((r) => [r.member_id, r.status === 'deleted' ? deletedMemberName(actor.locale) : r.name]));
    return page(
      invitations.map((i) => ({
        invitationId: i.id,
        email: i.email,
        status: i.status,
        state: i.state,
        createdAt: i.createdAt,
        expiresAt: i.expiresAt,
        invitedByName: byId.get(i.invitedBy) ?? null,
      })),
      total,
      n,
    );
  }
}

@QueryHandler(CountMembersByStatusQuery)
export class CountMembersByStatusHandler implements IQueryHandler<CountMembersByStatusQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ actor }: CountMembersByStatusQuery) {
    requireOperator(actor);
    const rows = await this.em.execute<{ status: MemberStatus; n: string }[]>(
      'select status, count(*) as n from membership.member group by status',
    );
    const [apps] = await this.em.execute<{ n: string }[]>(
      `select count(*) as n from membership.member where application_state = 'submitted'`,
    );
    const counts = Object.fromEntries(MEMBER_STATUSES.map((s) => [s, 0])) as Record<MemberStatus, number>;
    for (const r of rows) counts[r.status] = Number(r.n);
    return { ...counts, applications: Number(apps?.n ?? 0) };
  }
}
