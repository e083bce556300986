import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { ForbiddenError } from '@libs/ddd';
import { AccessPolicy } from '@libs/security/access-policy';
import {
  CountWaitingApplicationsQuery,
  GetProfileCompletenessQuery,
  HOME_RECENT_MEMBERS_LIMIT,
  ListRecentMembersNearQuery,
  RECENT_MEMBER_DAYS,
  type ProfileCompletenessView,
  type RecentMemberReason,
  type RecentMembersView,
} from '../../contracts';
import { listedInDirectory } from '../../domain/directory-listing';
import { MemberNotFoundError } from '../../domain/membership.errors';
import { PRIVACY_LEVELS } from '../../domain/privacy';
import { profileCompleteness } from '../../domain/profile-completeness';
import { Profile } from '../../domain/profile.entity';

@QueryHandler(GetProfileCompletenessQuery)
export class GetProfileCompletenessHandler implements IQueryHandler<GetProfileCompletenessQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ viewer }: GetProfileCompletenessQuery): Promise<ProfileCompletenessView> {
    const p = await this.em.fork().findOne(Profile, { memberId: viewer.memberId });
    if (!p) throw new MemberNotFoundError();
    return profileCompleteness({ ...p, status: viewer.status });
  }
}

/** A row of the statement below: the viewer's own criteria, and one member near them (all null when none is). */
interface Row {
  my_department: string | null;
  my_left_year: number | null;
  my_joined_year: number | null;
  member_id: string | null;
  family_name: string;
  given_name: string;
  family_name_kana: string;
  given_name_kana: string;
  status: 'employee' | 'alumni';
  photo_id: string | null;
  last_department: string | null;
  last_position: string | null;
  joined_year: number | null;
  left_year: number | null;
  current_company: string | null;
  employer_visible: boolean;
  created_at: Date;
  why: number;
}

const REASONS: RecentMemberReason[] = ['department', 'leftYear', 'joinedYear'];

/**
 * Recent members near the viewer, in one statement with the viewer's own profile: one index lookup per criterion
 * (profile_recent_department_idx, …_left_year_idx, …_joined_year_idx: the criterion, then newest first, approved
 * members only), each stopping after a few rows; a criterion the viewer's profile leaves empty finds nobody.
 */
@QueryHandler(ListRecentMembersNearQuery)
export class ListRecentMembersNearHandler implements IQueryHandler<ListRecentMembersNearQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ viewer }: ListRecentMembersNearQuery): Promise<RecentMembersView> {
    const em = this.em.fork();
    if (!AccessPolicy.isMember(viewer)) {
      const me = await em.findOne(Profile, { memberId: viewer.memberId });
      return { department: me?.lastDepartment ?? null, leftYear: me?.leftYear ?? null, joinedYear: me?.joinedYear ?? null, items: [] };
    }
    const since = new Date(Date.now() - RECENT_MEMBER_DAYS * 24 * 3600 * 1000);
    const criteria = [
      { column: 'last_department', mine: `nullif((select last_department from me), '')` },
      { column: 'left_year', mine: '(select left_year from me)' },
      { column: 'joined_year', mine: '(select joined_year from me)' },
    ];
    const params: unknown[] = [viewer.memberId];
    const lookups = criteria.map((c, i) => {
      params.push(since, viewer.memberId, HOME_RECENT_MEMBERS_LIMIT);
      return `(select s.member_id, s.created_at, ${i} as why from membership.profile s
                where s.${c.column} = ${c.mine} and ${listedInDirectory('s')} and s.created_at >= ? and s.member_id <> ?
                order by s.created_at desc limit ?)`;
    });
    // Privacy levels come from a fixed list; the current employer only where its owner lets this viewer see it.
    const levels = PRIVACY_LEVELS.filter((level) => AccessPolicy.canSee(viewer, level)).map((l) => `'${l}'`).join(', ') || `''`;
    const rows = await em.execute<Row[]>(
      `with me as (select last_department, left_year, joined_year from membership.profile where member_id = ?),
            found as (${lookups.join(' union all ')}),
            picked as (select distinct on (member_id) member_id, created_at, why from found order by member_id, why)
       select me.last_department as my_department, me.left_year as my_left_year, me.joined_year as my_joined_year, near.*
         from me left join lateral (
              select pr.member_id, pr.family_name, pr.given_name, pr.family_name_kana, pr.given_name_kana, pr.member_status as status,
                     pr.photo_id, pr.last_department, pr.last_position, pr.joined_year, pr.left_year, pr.current_company,
                     (pr.privacy->>'currentEmployer' in (${levels})) as employer_visible, pr.created_at, picked.why
                from picked join membership.profile pr on pr.member_id = picked.member_id
               where ${listedInDirectory('pr')}
               order by pr.created_at desc, pr.member_id
               limit ?) near on true`,
      [...params, HOME_RECENT_MEMBERS_LIMIT],
    );
    const mine = rows[0];
    return {
      department: mine?.my_department ?? null,
      leftYear: mine?.my_left_year ?? null,
      joinedYear: mine?.my_joined_year ?? null,
      items: rows
        .filter((r) => r.member_id !== null)
        .map((r) => ({
          memberId: r.member_id!,
          familyName: r.family_name,
          givenName: r.given_name,
          familyNameKana: r.family_name_kana,
          givenNameKana: r.given_name_kana,
          status: r.status,
          hasPhoto: !!r.photo_id,
          photoId: r.photo_id,
          lastDepartment: r.last_department,
          lastPosition: r.last_position,
          joinedYear: r.joined_year,
          leftYear: r.left_year,
          currentCompany: r.employer_visible ? r.current_company : null,
          joinedAt: new Date(r.created_at),
          reason: REASONS[Number(r.why)],
        })),
    };
  }
}

@QueryHandler(CountWaitingApplicationsQuery)
export class CountWaitingApplicationsHandler implements IQueryHandler<CountWaitingApplicationsQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ actor }: CountWaitingApplicationsQuery): Promise<number> {
    if (!AccessPolicy.isOperator(actor)) throw new ForbiddenError();
    // member_applications_idx (application_state, created_at) where application_state is not null.
    const [row] = await this.em.fork().execute<{ n: string }[]>(`select count(*) as n from membership.member where application_state = 'submitted'`);
    return Number(row?.n ?? 0);
  }
}
