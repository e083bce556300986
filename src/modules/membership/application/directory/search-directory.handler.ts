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
import { listedInDirectory } from '../../domain/directory-listing';
import { PRIVACY_LEVELS } from '../../domain/privacy';
import { Profile } from '../../domain/profile.entity';
import { containsPattern, normalizeForSearch, queryWords, wordTokens } from '@libs/search/japanese-text';

export const DIRECTORY_PAGE_SIZE = 20;
/**
 * How a search is answered (see docs/directory-search.md):
 * - the matches are counted on a fixed sample of members (1 in 64, then 1 in 16, then 1 in 4, by member id) until
 *   `sampleHits` sampled members match, and the count shown is the sample's count scaled up ("約");
 * - when even the 1-in-4 sample has fewer hits, all matches are collected, counted exactly and ordered;
 * - with many matches the page is cut from a walk of the ordered index (name matches first for relevance), unless
 *   fewer than `walkAbove` matches are left to walk, which are then collected.
 */
export const DIRECTORY_PLAN = { sampleHits: 600, walkAbove: 2000 };
const SAMPLES = [64, 16, 4] as const;
const KEYS =
  'membership.directory_keys(pr.member_id, pr.member_status, pr.search_public_tokens, pr.search_career_tokens, pr.search_employer_tokens, pr.skills_norm, pr.interests_norm, pr.last_department, pr.left_year, pr.location, pr.open_to_comeback, pr.open_to_offers, pr.open_to_side_work)';
/**
 * Searches go through the GIN indexes (bitmap scans): the planner, which cannot price the index keys, would rather walk
 * an ordered index or scan the table. A walk is the opposite: the ordered index only, row by row.
 */
const BITMAP_ONLY = 'set local enable_seqscan = off; set local enable_indexscan = off';
const WALK_ONLY = 'set local enable_indexscan = on; set local enable_bitmapscan = off';
/** The rows any directory query may return: the predicate of the directory's partial indexes. */
const DIRECTORY_ROWS = listedInDirectory('pr');

interface Row {
  member_id: string;
  family_name: string;
  given_name: string;
  family_name_kana: string;
  given_name_kana: string;
  romaji_name: string | null;
  status: 'employee' | 'alumni';
  photo_id: string | null;
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

/** A piece of SQL with its parameters. */
interface Sql {
  sql: string;
  params: unknown[];
}
const join = (parts: Sql[], sep: string): Sql => ({ sql: parts.map((p) => p.sql).join(sep), params: parts.flatMap((p) => p.params) });

@QueryHandler(SearchDirectoryQuery)
export class SearchDirectoryHandler implements IQueryHandler<SearchDirectoryQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ viewer, filter, page }: SearchDirectoryQuery): Promise<Page<DirectoryEntryView> & { words: string[]; approximate: boolean }> {
    if (!AccessPolicy.isMember(viewer)) throw new ForbiddenError();
    const pageNo = Number.isInteger(page) && page > 0 && page <= 500 ? page : 1;
    const offset = (pageNo - 1) * DIRECTORY_PAGE_SIZE;
    // Privacy levels come from a fixed list, so they are written into the SQL; everything a person typed is a parameter.
    const levels = visibleLevels(viewer).map((l) => `'${l}'`).join(', ') || `''`;
    const visible = (group: 'career' | 'currentEmployer'): Sql => ({
      sql: `(coalesce(pr.privacy->>'${group}', 'members') in (${levels}) or pr.member_id = ?)`,
      params: [viewer.memberId],
    });

    // Every condition twice: as index keys (which find candidates) and as a check of the row in hand (which decides).
    const keys: Sql[] = [];
    const checks: Sql[] = [];
    const words = queryWords(filter.q);
    for (const word of words) {
      keys.push(...wordTokens(word).map((t) => ({ sql: '?', params: [t] })));
      const pattern = containsPattern(word);
      const career = visible('career');
      const employer = visible('currentEmployer');
      checks.push({
        sql: `(pr.search_public like ? or (pr.search_career like ? and ${career.sql}) or (pr.search_employer like ? and ${employer.sql}))`,
        params: [pattern, pattern, ...career.params, pattern, ...employer.params],
      });
    }
    const both = (key: Sql, check: Sql) => {
      keys.push(key);
      checks.push(check);
    };
    if (filter.status) both({ sql: '?', params: [`#status/${filter.status}`] }, { sql: 'pr.member_status = ?', params: [filter.status] });
    if (filter.department) both({ sql: `'#department/' || md5(?)`, params: [filter.department] }, { sql: 'pr.last_department = ?', params: [filter.department] });
    if (filter.leftYear) both({ sql: '?', params: [`#left/${filter.leftYear}`] }, { sql: 'pr.left_year = ?', params: [filter.leftYear] });
    const skill = normalizeForSearch(filter.skill);
    if (skill) both({ sql: `'#skill/' || md5(?)`, params: [skill] }, { sql: 'pr.skills_norm @> array[?]::text[]', params: [skill] });
    const interest = normalizeForSearch(filter.interest);
    if (interest) both({ sql: `'#interest/' || md5(?)`, params: [interest] }, { sql: 'pr.interests_norm @> array[?]::text[]', params: [interest] });
    const location = filter.location?.normalize('NFKC').trim();
    if (location) {
      keys.push(...wordTokens(location).map((t) => ({ sql: '?', params: [`#location/${t}`] })));
      checks.push({ sql: 'normalize(pr.location, NFKC) like ?', params: [containsPattern(location)] }); // stored as typed: width-folded on both sides
    }
    const flags = new Set(filter.openTo ?? []);
    const FLAGS = [
      ['comeback', 'open_to_comeback', 'comeback'],
      ['offers', 'open_to_offers', 'offers'],
      ['sideWork', 'open_to_side_work', 'side-work'],
    ] as const;
    for (const [flag, column, key] of FLAGS) if (flags.has(flag)) both({ sql: `'#open/${key}'`, params: [] }, { sql: `pr.${column}`, params: [] });

    const sort = filter.sort ?? (words.length ? 'relevance' : 'name');
    const kanaOrder = 'pr.family_name_kana, pr.given_name_kana, pr.member_id';
    const order = sort === 'recent' ? 'pr.created_at desc, pr.member_id' : kanaOrder;
    const named: Sql = { sql: words.map(() => 'pr.search_name like ?').join(' or '), params: words.map(containsPattern) };
    const score: Sql = { sql: words.map(() => '(pr.search_name like ?)::int').join(' + '), params: words.map(containsPattern) };
    const relevance = sort === 'relevance' && words.length > 0;

    let ids: string[];
    let total: number;
    let approximate = false;
    if (keys.length === 0 || (keys.length === 1 && filter.status)) {
      // Browsing everyone (or one status): the ordered index, and a count kept for a minute.
      const where = join([{ sql: DIRECTORY_ROWS, params: [] }, ...checks], ' and ');
      ids = (await this.em.execute<{ member_id: string }[]>(`select pr.member_id from membership.profile pr where ${where.sql} order by ${order} limit ? offset ?`, [...where.params, DIRECTORY_PAGE_SIZE, offset])).map((r) => r.member_id);
      total = await this.browseCount(filter.status, where);
    } else {
      // One transaction for the whole search: the planner settings below hold for each of its queries.
      [ids, total, approximate] = await this.em.transactional(async (tx) => {
        await tx.execute(BITMAP_ONLY);
        const bitmap = <T>(sql: string, params: unknown[]) => tx.execute<T[]>(sql, params);
        let ids: string[];
        let total: number;
        let approximate = false;
        const check = join([{ sql: DIRECTORY_ROWS, params: [] }, ...checks], ' and ');
        const through = (extra: Sql[]): Sql => {
          const k = join([...keys, ...extra], ', ');
          return { sql: `${KEYS} @> array[${k.sql}]::text[] and ${check.sql}`, params: [...k.params, ...check.params] };
        };
        // Count on the samples, smallest first, until enough sampled members match.
        let estimate: { n: number; named: number } | undefined;
        for (const every of SAMPLES) {
          const where = through([{ sql: '?', params: [`#sample/${every}`] }]);
          const [row] = await bitmap<{ n: string; named: string }>(
            `select count(*) as n, count(*) filter (where ${named.sql || 'false'}) as named from membership.profile pr where ${where.sql}`,
            [...named.params, ...where.params],
          );
          if (Number(row.n) >= DIRECTORY_PLAN.sampleHits) {
            estimate = { n: Number(row.n) * every, named: Number(row.named) * every };
            break;
          }
        }
        const all = through([]);
        if (!estimate) {
          // Few matches: collect them all, count exactly, order and cut the page.
          const rows = await bitmap<{ member_id: string; total: string }>(
            `select pr.member_id, count(*) over () as total from membership.profile pr where ${all.sql}
              order by ${relevance ? `(${score.sql}) desc, ` : ''}${order} limit ? offset ?`,
            [...all.params, ...(relevance ? score.params : []), DIRECTORY_PAGE_SIZE, offset],
          );
          ids = rows.map((r) => r.member_id);
          total = rows.length ? Number(rows[0].total) : offset > 0 ? Number((await bitmap<{ n: string }>(`select count(*) as n from membership.profile pr where ${all.sql}`, all.params))[0].n) : 0;
        } else {
          approximate = true;
          total = estimate.n;
          ids = await this.manyMatches(tx, { all, check, named, score, order, relevance, nameTokens: words.map(wordTokens), offset, restEstimate: estimate.n - estimate.named });
        }
        return [ids, total, approximate] as const;
      });
    }

    const selectParams: unknown[] = [];
    const employerVisible = visible('currentEmployer');
    selectParams.push(...employerVisible.params);
    const select = `select pr.member_id, pr.family_name, pr.given_name, pr.family_name_kana, pr.given_name_kana, pr.romaji_name,
        pr.member_status as status, pr.photo_id, pr.last_department, pr.last_position, pr.left_year, pr.location, pr.skills,
        pr.current_company, ${employerVisible.sql} as employer_visible,
        pr.open_to_comeback, pr.open_to_offers, pr.open_to_side_work`;
    const found = ids.length ? await this.em.execute<Row[]>(`${select} from membership.profile pr where pr.member_id in (?)`, [...selectParams, ids]) : [];
    const byId = new Map(found.map((r) => [r.member_id, r]));
    const rows = ids.map((id) => byId.get(id)).filter((r): r is Row => !!r);
    return {
      items: rows.map((r) => ({
        memberId: r.member_id,
        familyName: r.family_name,
        givenName: r.given_name,
        familyNameKana: r.family_name_kana,
        givenNameKana: r.given_name_kana,
        romajiName: r.romaji_name,
        status: r.status,
        hasPhoto: !!r.photo_id,
        photoId: r.photo_id,
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
      approximate,
    };
  }

  /**
   * One page of many matches, in the same order as collecting them all would give. For relevance the members whose
   * name matches come first: they are found through the name index and ordered; the others follow in kana order.
   * Matches left to order are walked in the ordered index, row by row, until the page is full — or, when few are left
   * (a family name: nearly every match is a name match), collected through the key index.
   */
  private async manyMatches(
    tx: EntityManager,
    p: {
    all: Sql;
    check: Sql;
    named: Sql;
    score: Sql;
    order: string;
    relevance: boolean;
    nameTokens: string[][];
    offset: number;
    restEstimate: number;
  },
  ): Promise<string[]> {
    const bitmap = <T>(sql: string, params: unknown[]) => tx.execute<T[]>(sql, params);
    let skip = p.offset;
    let ids: string[] = [];
    let rest: Sql = { sql: 'true', params: [] };
    if (p.relevance) {
      const nameKeys = p.nameTokens.map((tokens) => ({
        sql: `membership.search_grams(pr.search_name) @> array[${tokens.map(() => '?').join(', ')}]::text[]`,
        params: tokens,
      }));
      const byName = join(nameKeys, ' or ');
      const rows = await bitmap<{ member_id: string; n: string }>(
        `select pr.member_id, count(*) over () as n from membership.profile pr where (${byName.sql}) and (${p.named.sql}) and ${p.check.sql}
          order by (${p.score.sql}) desc, ${p.order} limit ? offset ?`,
        [...byName.params, ...p.named.params, ...p.check.params, ...p.score.params, DIRECTORY_PAGE_SIZE, p.offset],
      );
      ids = rows.map((r) => r.member_id);
      if (ids.length === DIRECTORY_PAGE_SIZE) return ids;
      const namedCount = rows.length
        ? Number(rows[0].n)
        : Number(
            (
              await bitmap<{ n: string }>(`select count(*) as n from membership.profile pr where (${byName.sql}) and (${p.named.sql}) and ${p.check.sql}`, [
                ...byName.params,
                ...p.named.params,
                ...p.check.params,
              ])
            )[0].n,
          );
      skip = Math.max(0, p.offset - namedCount);
      rest = { sql: `not (${p.named.sql})`, params: p.named.params };
    }
    const limit = DIRECTORY_PAGE_SIZE - ids.length;
    // Newest first: name matches do not cluster in that order. Kana order: walk only when enough matches are left.
    if (p.order.startsWith('pr.created_at') || p.restEstimate >= DIRECTORY_PLAN.walkAbove) {
      await tx.execute(WALK_ONLY);
      const rows = await tx.execute<{ member_id: string }[]>(
        `select pr.member_id from membership.profile pr where ${rest.sql} and ${p.check.sql} order by ${p.order} limit ? offset ?`,
        [...rest.params, ...p.check.params, limit, skip],
      );
      return [...ids, ...rows.map((r) => r.member_id)];
    }
    const rows = await bitmap<{ member_id: string }>(`select pr.member_id from membership.profile pr where ${rest.sql} and ${p.all.sql} order by ${p.order} limit ? offset ?`, [
      ...rest.params,
      ...p.all.params,
      limit,
      skip,
    ]);
    return [...ids, ...rows.map((r) => r.member_id)];
  }

  private readonly browseCounts = new Map<string, { at: number; n: number }>();

  /** How many members everyone can browse (per status), cached for a minute: it only drifts by a few. */
  private async browseCount(status: string | undefined, where: Sql): Promise<number> {
    const key = status ?? 'all';
    const hit = this.browseCounts.get(key);
    if (hit && Date.now() - hit.at < 60_000) return hit.n;
    const [row] = await this.em.execute<{ n: string }[]>(`select count(*) as n from membership.profile pr where ${where.sql}`, where.params);
    const n = Number(row?.n ?? 0);
    this.browseCounts.set(key, { at: Date.now(), n });
    return n;
  }
}

const FACETS_TTL_MS = 5 * 60_000;

/**
 * Departments and common skills of the members the directory lists (never counting a member hidden from it); they
 * change slowly: computed at most every five minutes per process.
 */
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
          where ${DIRECTORY_ROWS} and pr.last_department is not null group by 1 order by 2 desc, 1 limit 100`,
      ),
      this.em.execute<{ name: string; n: string }[]>(
        `select skill as name, count(*) as n from membership.profile pr, jsonb_array_elements_text(pr.skills) as skill
          where ${DIRECTORY_ROWS} group by 1 order by 2 desc, 1 limit 60`,
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
