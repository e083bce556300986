import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import type { MemberRole, MemberStatus } from '@libs/security/access-policy';
import { arrayLiteral } from '@libs/database/array-literal';
import { isExactToken, normalizeForSearch, wordTokens } from '@libs/search/japanese-text';
import { FindMembersByNameQuery, GetMemberNamesQuery, type MemberNameView } from '../../contracts';
import { deletedMemberName } from './deleted-member';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids are read this many at a time (one statement each), however many are asked for. */
export const MEMBER_NAMES_BATCH = 500;

interface NameRow {
  id: string;
  status: MemberStatus;
  role: MemberRole;
  family_name: string | null;
  given_name: string | null;
  family_name_kana: string | null;
  given_name_kana: string | null;
}

function nameView(r: NameRow, locale: 'ja' | 'en'): MemberNameView {
  const deleted = r.status === 'deleted';
  return {
    memberId: r.id,
    deleted,
    status: r.status,
    role: r.role,
    displayName: deleted ? deletedMemberName(locale) : `${r.family_name ?? ''} ${r.given_name ?? ''}`.trim(),
    displayNameKana: deleted ? '' : `${r.family_name_kana ?? ''} ${r.given_name_kana ?? ''}`.trim(),
  };
}

/** Names for other modules' pages; a deleted member is 退会したメンバー / "Deleted member". */
@QueryHandler(GetMemberNamesQuery)
export class GetMemberNamesHandler implements IQueryHandler<GetMemberNamesQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ memberIds, locale }: GetMemberNamesQuery): Promise<MemberNameView[]> {
    const ids = [...new Set(memberIds.filter((id) => UUID.test(id)))];
    const byId = new Map<string, NameRow>();
    for (let i = 0; i < ids.length; i += MEMBER_NAMES_BATCH) {
      const rows = await this.em.execute<NameRow[]>(
        `select m.id, m.status, m.role, p.family_name, p.given_name, p.family_name_kana, p.given_name_kana
           from membership.member m left join membership.profile p on p.member_id = m.id where m.id in (?)`,
        [ids.slice(i, i + MEMBER_NAMES_BATCH)],
      );
      for (const r of rows) byId.set(r.id, r);
    }
    return ids.flatMap((id) => {
      const r = byId.get(id);
      return r ? [nameView(r, locale)] : [];
    });
  }
}

/**
 * Listed, approved members by name: the name index (trigrams of the folded names) narrows, then the folded name
 * (kanji, reading and romaji, each a part of search_name) is checked for containing, or being, the text.
 */
@QueryHandler(FindMembersByNameQuery)
export class FindMembersByNameHandler implements IQueryHandler<FindMembersByNameQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ text, mode, statuses, limit }: FindMembersByNameQuery): Promise<MemberNameView[]> {
    const word = normalizeForSearch(text).slice(0, 40);
    const wanted = statuses.filter((s) => s === 'employee' || s === 'alumni');
    if (!word || wanted.length === 0) return [];
    const tokens = wordTokens(word);
    const like = word.replace(/[\\%_]/g, (c) => `\\${c}`);
    const pattern = mode === 'exact' ? `%\u0001${like}\u0001%` : `%${like}%`;
    const recheck = mode === 'exact' || !isExactToken(word);
    const rows = await this.em.execute<NameRow[]>(
      `select m.id, m.status, m.role, p.family_name, p.given_name, p.family_name_kana, p.given_name_kana
         from membership.profile p join membership.member m on m.id = p.member_id
        where p.listed and p.member_status in ('employee', 'alumni') and p.member_status in (?)
          and membership.search_grams(p.search_name) @> ?::text[]
          ${recheck ? `and (chr(1) || p.search_name || chr(1)) like ?` : ''}
        order by p.family_name_kana, p.given_name_kana, p.member_id limit ?`,
      [wanted, arrayLiteral(tokens), ...(recheck ? [pattern] : []), Math.min(Math.max(1, limit), 20)],
    );
    return rows.map((r) => nameView(r, 'ja'));
  }
}
