import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { GetMemberNamesQuery, type MemberNameView } from '../../contracts';
import { deletedMemberName } from './deleted-member';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const MEMBER_NAMES_LIMIT = 500;

/** Names for other modules' pages; a deleted member is 退会したメンバー / "Deleted member". */
@QueryHandler(GetMemberNamesQuery)
export class GetMemberNamesHandler implements IQueryHandler<GetMemberNamesQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ memberIds, locale }: GetMemberNamesQuery): Promise<MemberNameView[]> {
    const ids = [...new Set(memberIds.filter((id) => UUID.test(id)))].slice(0, MEMBER_NAMES_LIMIT);
    if (ids.length === 0) return [];
    const rows = await this.em.execute<{ id: string; status: string; family_name: string | null; given_name: string | null; family_name_kana: string | null; given_name_kana: string | null }[]>(
      `select m.id, m.status, p.family_name, p.given_name, p.family_name_kana, p.given_name_kana
         from membership.member m left join membership.profile p on p.member_id = m.id where m.id in (?)`,
      [ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const r = byId.get(id);
      if (!r) return [];
      const deleted = r.status === 'deleted';
      return [
        {
          memberId: id,
          deleted,
          displayName: deleted ? deletedMemberName(locale) : `${r.family_name ?? ''} ${r.given_name ?? ''}`.trim(),
          displayNameKana: deleted ? '' : `${r.family_name_kana ?? ''} ${r.given_name_kana ?? ''}`.trim(),
        },
      ];
    });
  }
}
