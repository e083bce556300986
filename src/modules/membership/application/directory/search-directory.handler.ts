import { CommandHandler, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { ForbiddenError } from '@libs/ddd';
import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import {
  GetDirectoryFacetsQuery,
  RebuildSearchIndexCommand,
  SearchDirectoryQuery,
  type DirectoryEntryView,
  type DirectoryFacets,
  type Page,
} from '../../contracts';
import { PRIVACY_LEVELS } from '../../domain/privacy';
import { Profile } from '../../domain/profile.entity';
import { containsPattern, isExactToken, normalizeForSearch, queryWords, wordTokens } from '@libs/search/japanese-text';

export const DIRECTORY_PAGE_SIZE = 20;
/**
 * Above this many estimated matches the directory walks the ordered index instead of collecting every match. Matches
 * of a filter are spread evenly over the name order; matches of a word may cluster (a family name), so a word needs
 * more of them before the walk is the faster road.
 */
export const WALK_THRESHOLD = { filters: 300, words: 2000 };

interface Row {
  member_id: string;
  family_name: string;
  given_name: string;
  family_name_kana: string;
  given_name_kana: string;
  romaji_name: string | null;
  status: 'employee' | 'alumni';
  photo_key: string | null;
  last_department: string | null;
  last_position: string | null;
  left_year: number | null;
  location: string | null;
  skills: string[];
  current_company: string | null;
  employer_visible: boolean;
  open_to_comeback: boolean;
  open_to_offers: boolean;
  open_to_side_work: boolean;
}

/** The privacy levels whose fields this viewer may see (owners see their own through the member id check). */
function visibleLevels(viewer: Viewer): string[] {
  return PRIVACY_LEVELS.filter((level) => AccessPolicy.canSee(viewer, level));
}

@QueryHandler(SearchDirectoryQuery)
export class SearchDirectoryHandler implements IQueryHandler<SearchDirectoryQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ viewer, filter, page }: SearchDirectoryQuery): Promise<Page<DirectoryEntryView> & { words: string[]; approximate: boolean }> {
    if (!AccessPolicy.isMember(viewer)) throw new ForbiddenError();
    const pageNo = Number.isInteger(page) && page > 0 && page <= 500 ? page : 1;
    // Privacy levels come from a fixed list, so they are written into the SQL; everything a person typed is a parameter.
    const levels = visibleLevels(viewer).map((l) => `'${l}'`).join(', ') || `''`;
    const visible = (group: 'career' | 'currentEmployer', params: unknown[], t = 'pr') => {
      params.push(viewer.memberId);
      return `(${t}.privacy->>'${group}' in (${levels}) or ${t}.member_id = ?)`;
    };

    // Filters, written for a table alias so that they can run inside each index lookup below.
    const filters: { sql: (t: string) => string; params: unknown[] }[] = [
      { sql: (t) => `${t}.member_status in ('employee', 'alumni')`, params: [] },
      // Withdrawn consent to the community: hidden from other members' search (they still find themselves).
      { sql: (t) => `(${t}.listed or ${t}.member_id = ?)`, params: [viewer.memberId] },
    ];
    const add = (sql: (t: string) => string, ...params: unknown[]) => filters.push({ sql, params });
    if (filter.status) add((t) => `${t}.member_status = ?`, filter.status);
    if (filter.department) add((t) => `${t}.last_department = ?`, filter.department);
    if (filter.leftYear) add((t) => `${t}.left_year = ?`, filter.leftYear);
    const skill = normalizeForSearch(filter.skill);
    if (skill) add((t) => `${t}.skills_norm @> array[?]::text[]`, skill);
    const interest = normalizeForSearch(filter.interest);
    if (interest) add((t) => `${t}.interests_norm @> array[?]::text[]`, interest);
    if (filter.location?.trim()) add((t) => `${t}.location like ?`, containsPattern(filter.location.normalize('NFKC').trim()));
    for (const flag of new Set(filter.openTo ?? [])) {
      if (flag === 'comeback') add((t) => `${t}.open_to_comeback`);
      if (flag === 'offers') add((t) => `${t}.open_to_offers`);
      if (flag === 'sideWork') add((t) => `${t}.open_to_side_work`);
    }
    const filtersFor = (t: string, params: unknown[]) => {
      for (const f of filters) params.push(...f.params);
      return filters.map((f) => f.sql(t)).join(' and ');
    };

    const GROUPS = [
      { tokens: 'search_public_tokens', text: 'search_public' },
      { tokens: 'search_career_tokens', text: 'search_career', privacy: 'career' as const },
      { tokens: 'search_employer_tokens', text: 'search_employer', privacy: 'currentEmployer' as const },
    ];
    /**
     * The condition that a word occurs in one field group of row `t` (and that the viewer may see that group).
     * Through the index, the word's tokens find the rows; a row already in hand (a walk) is checked against its text,
     * which lives in the row, while the token arrays would each be fetched from TOAST storage.
     */
    const wordIn = (word: string, group: (typeof GROUPS)[number], t: string, params: unknown[], rowInHand = false) => {
      let sql: string;
      if (rowInHand) {
        params.push(containsPattern(word));
        sql = `${t}.${group.text} like ?`;
      } else {
        const tokens = wordTokens(word);
        params.push(...tokens);
        sql = `${t}.${group.tokens} @> array[${tokens.map(() => '?').join(', ')}]::text[]`;
        // Words of up to three characters are exactly their token; longer ones are checked against the text too.
        if (!isExactToken(word)) {
          params.push(containsPattern(word));
          sql += ` and ${t}.${group.text} like ?`;
        }
      }
      if (group.privacy) sql += ` and ${visible(group.privacy, params, t)}`;
      return sql;
    };

    const whereParams: unknown[] = [];
    const walkParams: unknown[] = [];
    const words = queryWords(filter.q);
    let from: string;
    let walkFrom: string;
    if (words.length === 0) {
      from = `from membership.profile pr where ${filtersFor('pr', whereParams)}`;
      walkFrom = `from membership.profile pr where ${filtersFor('pr', walkParams)}`;
    } else {
      const wordConditions = words.map((word) => `(${GROUPS.map((g) => `(${wordIn(word, g, 'pr', walkParams, true)})`).join(' or ')})`);
      walkFrom = `from membership.profile pr where ${wordConditions.join(' and ')} and ${filtersFor('pr', walkParams)}`;
      // Each word is one GIN lookup per field group; each lookup applies the filters to the row it already reads
      // and carries the sort keys along, so the matches are counted and ordered without visiting them again.
      const keys = 's.member_id, s.member_status, s.family_name_kana, s.given_name_kana, s.search_name, s.created_at';
      const sets = words.map(
        (word) =>
          `(${GROUPS.map((g) => `select ${keys} from membership.profile s where ${wordIn(word, g, 's', whereParams)} and ${filtersFor('s', whereParams)}`).join(' union ')})`,
      );
      from = `from (${sets.join(' intersect ')}) as pr`;
    }

    const selectParams: unknown[] = [];
    const select = `select pr.member_id, pr.family_name, pr.given_name, pr.family_name_kana, pr.given_name_kana, pr.romaji_name,
        pr.member_status as status, pr.photo_key, pr.last_department, pr.last_position, pr.left_year, pr.location, pr.skills,
        pr.current_company, ${visible('currentEmployer', selectParams)} as employer_visible,
        pr.open_to_comeback, pr.open_to_offers, pr.open_to_side_work`;

    const orderParams: unknown[] = [];
    const sort = filter.sort ?? (words.length ? 'relevance' : 'name');
    let orderBy = 'pr.member_status, pr.family_name_kana, pr.given_name_kana, pr.member_id';
    if (!filter.status) orderBy = 'pr.family_name_kana, pr.given_name_kana, pr.member_id';
    if (sort === 'recent') orderBy = 'pr.created_at desc, pr.member_id';
    if (sort === 'relevance' && words.length) {
      orderParams.push(...words.map(containsPattern));
      orderBy = `(${words.map(() => '(pr.search_name like ?)::int').join(' + ')}) desc, ${orderBy}`;
    }
    const offset = (pageNo - 1) * DIRECTORY_PAGE_SIZE;
    // Two steps: find and order the page's ids (and count them), then read what the list shows for twenty rows.
    const browsing = words.length === 0 && (filters.length === 1 || (filters.length === 2 && !!filter.status));
    // Many matches (a common word, a wide filter): walk the name (or newest-first) index and stop after one page,
    // with the planner's estimate as the count. Few matches: collect them through the GIN indexes and count exactly.
    const estimate = browsing ? 0 : await this.estimateMatches(words, filtersFor);
    const walk = !browsing && estimate > (words.length ? WALK_THRESHOLD.words : WALK_THRESHOLD.filters);
    let ids: { member_id: string; total?: string }[];
    if (walk) {
      const walkOrder = sort === 'recent' ? 'pr.member_status, pr.created_at desc, pr.member_id' : 'pr.member_status, pr.family_name_kana, pr.given_name_kana, pr.member_id';
      ids = await this.em.transactional((tx) =>
        tx
          .execute('set local enable_seqscan = off; set local enable_bitmapscan = off')
          .then(() =>
            tx.execute<{ member_id: string }[]>(`select pr.member_id ${walkFrom} order by ${walkOrder} limit ? offset ?`, [...walkParams, DIRECTORY_PAGE_SIZE, offset]),
          ),
      );
    } else {
      // The planner does not know that reading a token array means fetching it from TOAST storage, and would
      // rather scan the table than use the GIN indexes; for this one query it is told not to.
      ids = await this.em.transactional((tx) =>
        tx
          .execute('set local enable_seqscan = off')
          .then(() =>
            tx.execute<{ member_id: string; total?: string }[]>(
              `select pr.member_id${browsing ? '' : ', count(*) over () as total'} ${from} order by ${orderBy} limit ? offset ?`,
              [...whereParams, ...orderParams, DIRECTORY_PAGE_SIZE, offset],
            ),
          ),
      );
    }
    const count = walk
      ? estimate
      : browsing
        ? await this.browseCount(filter.status, from, whereParams)
        : ids.length > 0
          ? Number(ids[0].total)
          : offset > 0
            ? await this.countApart(from, whereParams)
            : 0;
    const found = ids.length
      ? await this.em.execute<Row[]>(`${select} from membership.profile pr where pr.member_id in (?)`, [...selectParams, ids.map((r) => r.member_id)])
      : [];
    const byId = new Map(found.map((r) => [r.member_id, r]));
    const rows = ids.map((r) => byId.get(r.member_id)).filter((r): r is Row => !!r);
    const total = count;
    return {
      items: rows.map((r) => ({
        memberId: r.member_id,
        familyName: r.family_name,
        givenName: r.given_name,
        familyNameKana: r.family_name_kana,
        givenNameKana: r.given_name_kana,
        romajiName: r.romaji_name,
        status: r.status,
        hasPhoto: !!r.photo_key,
        lastDepartment: r.last_department,
        lastPosition: r.last_position,
        leftYear: r.left_year,
        location: r.location,
        skills: Array.isArray(r.skills) ? r.skills : [],
        currentCompany: r.employer_visible ? r.current_company : null,
        openToComeback: r.open_to_comeback,
        openToOffers: r.open_to_offers,
        openToSideWork: r.open_to_side_work,
      })),
      total,
      page: pageNo,
      pageSize: DIRECTORY_PAGE_SIZE,
      pages: Math.max(1, Math.ceil(total / DIRECTORY_PAGE_SIZE)),
      words,
      approximate: walk,
    };
  }

  /**
   * How many members match, from the index statistics (no rows are read). The tokens of one word occur together,
   * so multiplying their frequencies would badly underestimate: each word is represented by its rarest token. A word
   * may match in any field group, so the estimates of the groups are added up.
   */
  private async estimateMatches(words: string[], filtersFor: (t: string, params: unknown[]) => string): Promise<number> {
    const chosen: string[] = [];
    for (const word of words) {
      let best: { token: string; rows: number } | undefined;
      for (const token of wordTokens(word)) {
        const rows = await this.estimateRows('from membership.profile pr where pr.search_public_tokens @> array[?]::text[]', [token]);
        if (!best || rows < best.rows) best = { token, rows };
      }
      if (best) chosen.push(best.token);
    }
    if (chosen.length === 0) {
      const params: unknown[] = [];
      return this.estimateRows(`from membership.profile pr where ${filtersFor('pr', params)}`, params);
    }
    let total = 0;
    for (const column of ['search_public_tokens', 'search_career_tokens', 'search_employer_tokens']) {
      const params: unknown[] = [...chosen];
      const conditions = chosen.map(() => `pr.${column} @> array[?]::text[]`);
      conditions.push(filtersFor('pr', params));
      total += await this.estimateRows(`from membership.profile pr where ${conditions.join(' and ')}`, params);
    }
    return total;
  }

  /** The planner's estimate of the rows a query would find. */
  private async estimateRows(from: string, params: unknown[]): Promise<number> {
    const [row] = await this.em.execute<{ 'QUERY PLAN': { Plan: { 'Plan Rows': number } }[] }[]>(`explain (format json) select 1 ${from}`, params);
    return Math.round(row?.['QUERY PLAN']?.[0]?.Plan?.['Plan Rows'] ?? 0);
  }

  private readonly browseCounts = new Map<string, { at: number; n: number }>();

  /** How many members everyone can browse (per status), cached for a minute: it only drifts by a few. */
  private async browseCount(status: string | undefined, from: string, params: unknown[]): Promise<number> {
    const key = status ?? 'all';
    const hit = this.browseCounts.get(key);
    if (hit && Date.now() - hit.at < 60_000) return hit.n;
    const n = await this.countApart(from, params);
    this.browseCounts.set(key, { at: Date.now(), n });
    return n;
  }

  private async countApart(from: string, params: unknown[]): Promise<number> {
    const [row] = await this.em.execute<{ n: string }[]>(`select count(*) as n ${from}`, params);
    return Number(row?.n ?? 0);
  }
}

const FACETS_TTL_MS = 5 * 60_000;

/** Departments and common skills change slowly: computed at most every five minutes per process. */
@QueryHandler(GetDirectoryFacetsQuery)
export class GetDirectoryFacetsHandler implements IQueryHandler<GetDirectoryFacetsQuery> {
  private cached?: { at: number; facets: DirectoryFacets };

  constructor(private readonly em: EntityManager) {}

  async execute({ viewer }: GetDirectoryFacetsQuery): Promise<DirectoryFacets> {
    if (!AccessPolicy.isMember(viewer)) throw new ForbiddenError();
    if (this.cached && Date.now() - this.cached.at < FACETS_TTL_MS) return this.cached.facets;
    const [departments, skills] = await Promise.all([
      this.em.execute<{ name: string; n: string }[]>(
        `select pr.last_department as name, count(*) as n from membership.profile pr
          where pr.member_status in ('employee', 'alumni') and pr.last_department is not null group by 1 order by 2 desc, 1 limit 100`,
      ),
      this.em.execute<{ name: string; n: string }[]>(
        `select skill as name, count(*) as n from membership.profile pr, jsonb_array_elements_text(pr.skills) as skill
          where pr.member_status in ('employee', 'alumni') group by 1 order by 2 desc, 1 limit 60`,
      ),
    ]);
    const facets = {
      departments: departments.map((d) => ({ name: d.name, count: Number(d.n) })),
      skills: skills.map((s) => ({ name: s.name, count: Number(s.n) })),
    };
    this.cached = { at: Date.now(), facets };
    return facets;
  }
}

/** Recomputes the search columns, in batches; at start-up only for profiles that have none yet. */
@CommandHandler(RebuildSearchIndexCommand)
export class RebuildSearchIndexHandler implements ICommandHandler<RebuildSearchIndexCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ onlyMissing }: RebuildSearchIndexCommand): Promise<{ updated: number }> {
    let updated = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const em = this.em.fork();
      const batch = await em.find(
        Profile,
        { memberId: { $gt: after }, ...(onlyMissing ? { searchName: '' } : {}) },
        { orderBy: { memberId: 'asc' }, limit: 500 },
      );
      if (batch.length === 0) return { updated };
      for (const profile of batch) profile.refreshSearch();
      await em.flush();
      updated += batch.length;
      after = batch[batch.length - 1].memberId;
    }
  }
}
