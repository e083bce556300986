import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ForbiddenError } from '@libs/ddd';
import { isUuid } from '@libs/ddd/ids';
import { arrayLiteral } from '@libs/database/array-literal';
import { bigramWordTokens, containsPattern, LONG_TEXT_MIN_WORD, queryWords } from '@libs/search/japanese-text';
import { AccessPolicy } from '@libs/security/access-policy';
import { FindMembersByNameQuery } from '@modules/membership/contracts';
import { QueryBus } from '@nestjs/cqrs';
import { SearchForumQuery, SuggestMentionsQuery, type ForumSearchView, type MentionCandidateView } from '../contracts';
import { forumSearchProblems } from '../domain/forum-search-filter';
import { plainText, snippetAround } from '../domain/post-content';
import { ForumStore, readableBoardsSql } from './forum-store';

export const SEARCH_PAGE_SIZE = 20;
/**
 * Matches are counted up to this many (ten pages): a common word's count is "200 or more", found by walking the
 * newest posts, not by reading every match.
 */
export const SEARCH_COUNT_CAP = 200;

/** A word in at least this share of posts is found faster by walking the newest posts than through the index. */
export const COMMON_WORD_SHARE = 0.01;
const STATS_TTL_MS = 10 * 60_000;

@QueryHandler(SearchForumQuery)
export class SearchForumHandler implements IQueryHandler<SearchForumQuery> {
  private stats?: { at: number; freq: Map<string, number> };

  constructor(private readonly store: ForumStore) {}

  /**
   * How common each bigram is, from PostgreSQL's own statistics of the column (its most common elements, kept by
   * ANALYZE): a word is at most as common as its rarest bigram. Read at most every ten minutes.
   */
  private async tokenShares(): Promise<Map<string, number>> {
    if (this.stats && Date.now() - this.stats.at < STATS_TTL_MS) return this.stats.freq;
    const rows = await this.store.sql<{ e: string; f: number }[]>(
      `select x.e, x.f from pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) as x(e, f)
        where s.schemaname = 'networking' and s.tablename = 'post' and s.attname = 'search_tokens'`,
    );
    this.stats = { at: Date.now(), freq: new Map(rows.map((r) => [r.e, Number(r.f)])) };
    return this.stats.freq;
  }

  async execute({ viewer, filter, page, locale }: SearchForumQuery): Promise<ForumSearchView> {
    const [problem] = forumSearchProblems(filter);
    if (problem) throw problem;
    const words = queryWords(filter.q).filter((w) => [...w].length >= LONG_TEXT_MIN_WORD);
    if (words.length === 0) return { items: [], words: [], total: 0, more: false, page: 1, pages: 1 };
    const boards = readableBoardsSql(viewer);
    const where: string[] = ['p.deleted_at is null', 'p.hidden_at is null', 't.hidden_at is null', `p.board_id in (select b.id from networking.board b where ${boards.sql})`];
    const params: unknown[] = [...boards.params];
    // Every word's bigrams; a word longer than two characters is checked in sequence too. A rare word is looked up
    // in the GIN index; a common one (in 1 % of posts or more, as 東京 or 勉強会 are) is found by walking the newest
    // posts (post_created_idx), where the first page is a few hundred rows away — the GIN index would read every match.
    const tokens = [...new Set(words.flatMap(bigramWordTokens))];
    const shares = await this.tokenShares();
    const common = words.every((w) => Math.min(...bigramWordTokens(w).map((t) => shares.get(t) ?? 0)) >= COMMON_WORD_SHARE);
    where.push('p.search_tokens @> ?::text[]');
    params.push(arrayLiteral(tokens));
    for (const w of words.filter((w) => [...w].length > 2)) {
      where.push('p.search_text like ?');
      params.push(containsPattern(w));
    }
    if (filter.boardId) {
      if (!isUuid(filter.boardId)) return { items: [], words, total: 0, more: false, page: 1, pages: 1 };
      where.push('p.board_id = ?');
      params.push(filter.boardId);
    }
    if (filter.authorId) {
      if (!isUuid(filter.authorId)) return { items: [], words, total: 0, more: false, page: 1, pages: 1 };
      where.push('p.author_id = ?');
      params.push(filter.authorId);
    }
    if (filter.from) {
      where.push(`p.created_at >= (?::date)::timestamp at time zone 'Asia/Tokyo'`);
      params.push(filter.from);
    }
    if (filter.to) {
      where.push(`p.created_at < (?::date + 1)::timestamp at time zone 'Asia/Tokyo'`);
      params.push(filter.to);
    }
    // Newest first. For a common word the statement walks post_created_idx and stops once the page (or the count's
    // cap) is found: the planner, which cannot know that the word is common, is told so for this transaction only.
    const from = `from networking.post p join networking.thread t on t.id = p.thread_id where ${where.join(' and ')}`;
    type Hit = { id: string; thread_id: string; title: string; board_id: string; name_ja: string; name_en: string; number: number; author_id: string; created_at: Date; body: string };
    // One walk finds the first SEARCH_COUNT_CAP matches (their count is the total shown); the page's rows are then read
    // by id.
    const ids = await this.store.em.fork().transactional(async (tx) => {
      // Without bitmap scans the GIN index cannot be used at all (it has no plain index scan), so the walk it is; one
      // process walks (a parallel walk costs more to start than it saves).
      if (common) await tx.execute('set local enable_seqscan = off; set local enable_bitmapscan = off; set local enable_sort = off; set local jit = off; set local max_parallel_workers_per_gather = 0');
      return tx.execute<{ id: string }[]>(`select p.id ${from} order by p.created_at desc, p.id desc limit ${SEARCH_COUNT_CAP}`, params);
    });
    const total = ids.length;
    const pages = Math.max(1, Math.ceil(total / SEARCH_PAGE_SIZE));
    const current = Math.min(Math.max(1, Math.trunc(page) || 1), pages);
    const pageIds = ids.slice((current - 1) * SEARCH_PAGE_SIZE, current * SEARCH_PAGE_SIZE).map((r) => r.id);
    const rows = pageIds.length
      ? await this.store.sql<Hit[]>(
          `select p.id, p.thread_id, t.title, p.board_id, b.name_ja, b.name_en, p.number, p.author_id, p.created_at, p.body
             from networking.post p join networking.thread t on t.id = p.thread_id join networking.board b on b.id = p.board_id
            where p.id in (?) order by p.created_at desc, p.id desc`,
          [pageIds],
        )
      : [];
    const names = await this.store.names(rows.map((r) => r.author_id), locale);
    return {
      items: rows.map((r) => ({
        postId: r.id,
        threadId: r.thread_id,
        threadTitle: r.title,
        boardId: r.board_id,
        boardName: (locale === 'en' && r.name_en) || r.name_ja,
        number: r.number,
        author: ForumStore.author(names, r.author_id, locale),
        createdAt: r.created_at,
        snippet: snippetAround(plainText(r.body), words, 140),
        url: `/forum/p/${r.id}`,
      })),
      words,
      total,
      more: total >= SEARCH_COUNT_CAP,
      page: current,
      pages,
    };
  }
}

@QueryHandler(SuggestMentionsQuery)
export class SuggestMentionsHandler implements IQueryHandler<SuggestMentionsQuery> {
  constructor(
    private readonly store: ForumStore,
    private readonly queries: QueryBus,
  ) {}

  async execute({ viewer, boardId, prefix }: SuggestMentionsQuery): Promise<MentionCandidateView[]> {
    if (!AccessPolicy.isMember(viewer)) throw new ForbiddenError();
    const board = await this.store.board(viewer, boardId);
    const text = (prefix ?? '').trim();
    if (!text) return [];
    const statuses: ('employee' | 'alumni')[] = board.visibility === 'alumni' ? ['alumni'] : board.visibility === 'employees' ? ['employee'] : ['employee', 'alumni'];
    const found = await this.queries.execute(new FindMembersByNameQuery(text, 'contains', statuses, board.visibility === 'operators' ? 20 : 8));
    return found
      .filter((m) => board.visibility !== 'operators' || m.role !== 'member')
      .slice(0, 8)
      .map((m) => ({ memberId: m.memberId, displayName: m.displayName, displayNameKana: m.displayNameKana, handle: m.displayName.replace(/[\s\u3000]+/g, '') }));
  }
}
