import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { ForbiddenError } from '@libs/ddd';
import { AccessPolicy, type MemberRole, type MemberStatus } from '@libs/security/access-policy';
import { ExportDirectoryQuery, type DirectoryExportBatch, type DirectoryExportRow } from '../../contracts';
import { memberListConditions } from '../queries/member-list-conditions';
import { decodeExportCursor, encodeExportCursor } from './export-cursor';

const MAX_BATCH = 5000;

interface ExportRow {
  id: string;
  email: string;
  status: MemberStatus;
  role: MemberRole;
  created_at: Date;
  family_name: string;
  given_name: string;
  family_name_kana: string;
  given_name_kana: string;
  romaji_name: string | null;
  last_department: string | null;
  last_position: string | null;
  joined_year: number | null;
  left_year: number | null;
  location: string | null;
  current_company: string | null;
  skills: string[] | string | null;
}


const toRow = (r: ExportRow): DirectoryExportRow => ({
  memberId: r.id,
  familyName: r.family_name,
  givenName: r.given_name,
  familyNameKana: r.family_name_kana,
  givenNameKana: r.given_name_kana,
  romajiName: r.romaji_name,
  email: r.email,
  status: r.status,
  role: r.role,
  lastDepartment: r.last_department,
  lastPosition: r.last_position,
  joinedYear: r.joined_year,
  leftYear: r.left_year,
  location: r.location,
  currentCompany: r.current_company,
  skills: Array.isArray(r.skills) ? r.skills : typeof r.skills === 'string' ? (JSON.parse(r.skills) as string[]) : [],
  joinedAt: new Date(r.created_at),
});

/**
 * One batch of the directory export for HR admins: the members of the admin list's filters in kana order, after
 * the cursor. Keyset pagination on the kana index (family kana, given kana, member id), so every batch is one index
 * range scan and the whole directory is never held in memory.
 */
@QueryHandler(ExportDirectoryQuery)
export class ExportDirectoryHandler implements IQueryHandler<ExportDirectoryQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ actor, filter, after, batchSize }: ExportDirectoryQuery): Promise<DirectoryExportBatch> {
    if (!AccessPolicy.isAdmin(actor)) throw new ForbiddenError();
    const size = Number.isInteger(batchSize) && batchSize > 0 ? Math.min(batchSize, MAX_BATCH) : 1000;
    const { where, params } = memberListConditions(filter);
    if (after) {
      const from = decodeExportCursor(after);
      where.push('(p.family_name_kana, p.given_name_kana, p.member_id) > (?, ?, ?)');
      params.push(from.familyNameKana, from.givenNameKana, from.memberId);
    }
    const rows = await this.em.execute<ExportRow[]>(
      `select m.id, m.email, m.status, m.role, m.created_at, p.family_name, p.given_name, p.family_name_kana, p.given_name_kana,
              p.romaji_name, p.last_department, p.last_position, p.joined_year, p.left_year, p.location, p.current_company, p.skills
         from membership.profile p join membership.member m on m.id = p.member_id
        ${where.length ? `where ${where.join(' and ')}` : ''}
        order by p.family_name_kana, p.given_name_kana, p.member_id
        limit ?`,
      [...params, size + 1],
    );
    const more = rows.length > size;
    const batch = rows.slice(0, size);
    const last = batch.at(-1);
    return {
      rows: batch.map(toRow),
      next: more && last ? encodeExportCursor({ familyNameKana: last.family_name_kana, givenNameKana: last.given_name_kana, memberId: last.id }) : null,
    };
  }
}
