import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { MemberRole, MemberStatus, Viewer } from '@libs/security/access-policy';
import type { ViewerLoader } from '@libs/security/viewer-loader';

interface Row {
  id: string;
  status: MemberStatus;
  role: MemberRole;
  locale: 'ja' | 'en' | null;
  time_zone: string | null;
  session_version: number;
  family_name: string | null;
  given_name: string | null;
  photo_id: string | null;
  email: string;
}

/** One indexed read per request: the session's member, unless suspended or the session was ended. */
@Injectable()
export class MembershipViewerLoader implements ViewerLoader {
  constructor(private readonly em: EntityManager) {}

  async load(memberId: string, sessionVersion: number): Promise<Viewer | null> {
    if (!/^[0-9a-f-]{36}$/i.test(memberId)) return null;
    const [row] = await this.em.fork().execute<Row[]>(
      `select m.id, m.status, m.role, m.locale, m.time_zone, m.session_version, m.email, p.family_name, p.given_name, p.photo_id
         from membership.member m left join membership.profile p on p.member_id = m.id where m.id = ?`,
      [memberId],
    );
    if (!row || row.status === 'suspended' || row.status === 'deleted' || row.session_version !== sessionVersion) return null;
    return {
      memberId: row.id,
      status: row.status,
      role: row.role,
      locale: row.locale,
      timeZone: row.time_zone,
      sessionVersion: row.session_version,
      displayName: row.family_name ? `${row.family_name} ${row.given_name ?? ''}`.trim() : row.email,
      // Photos are served to approved members only; an applicant's header shows no avatar.
      photoId: row.status === 'employee' || row.status === 'alumni' ? row.photo_id : null,
    };
  }
}
