import { randomUUID } from 'node:crypto';
import { CommandHandler, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { arrayLiteral } from '@libs/database/array-literal';
import { ForbiddenError } from '@libs/ddd';
import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import {
  ArchiveBoardCommand,
  BOARD_VISIBILITIES,
  CreateBoardCommand,
  GetBoardQuery,
  ListBoardsQuery,
  MoveBoardCommand,
  THREAD_STARTERS,
  UpdateBoardCommand,
  type BoardInput,
  type BoardView,
} from '../contracts';
import { ForumNotFoundError, TextRequiredError, TextTooLongError } from '../domain/forum.errors';
import { isUuid } from '@libs/ddd/ids';
import { ForumStore, WATERMARK_SQL, readableBoardsSql, type BoardRow } from './forum-store';

const NAME_MAX = 60;
const DESCRIPTION_MAX = 500;

function requireOperator(viewer: Viewer): void {
  if (!AccessPolicy.isOperator(viewer)) throw new ForbiddenError();
}

/** Trimmed and checked board fields; a board is public only when every member reads it. */
export function cleanBoardInput(input: BoardInput): BoardInput {
  const t = (s: string | undefined) => (s ?? '').replace(/\r\n?/g, '\n').trim();
  const out = {
    nameJa: t(input.nameJa),
    nameEn: t(input.nameEn),
    descriptionJa: t(input.descriptionJa),
    descriptionEn: t(input.descriptionEn),
    visibility: BOARD_VISIBILITIES.includes(input.visibility) ? input.visibility : 'members',
    publicReadable: input.publicReadable === true,
    threadStarters: THREAD_STARTERS.includes(input.threadStarters) ? input.threadStarters : 'members',
  } satisfies BoardInput;
  if (!out.nameJa) throw new TextRequiredError('nameJa');
  for (const [field, max] of [['nameJa', NAME_MAX], ['nameEn', NAME_MAX], ['descriptionJa', DESCRIPTION_MAX], ['descriptionEn', DESCRIPTION_MAX]] as const) {
    if ([...out[field]].length > max) throw new TextTooLongError(field, max);
  }
  if (out.visibility !== 'members') out.publicReadable = false;
  return out;
}

@CommandHandler(CreateBoardCommand)
export class CreateBoardHandler implements ICommandHandler<CreateBoardCommand> {
  constructor(private readonly store: ForumStore) {}

  async execute({ viewer, input }: CreateBoardCommand): Promise<{ boardId: string }> {
    requireOperator(viewer);
    const b = cleanBoardInput(input);
    const boardId = randomUUID();
    await this.store.sql(
      `insert into networking.board (id, name_ja, name_en, description_ja, description_en, visibility, public_readable, thread_starters, position, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, (select coalesce(max(position), 0) + 1 from networking.board), now())`,
      [boardId, b.nameJa, b.nameEn, b.descriptionJa, b.descriptionEn, b.visibility, b.publicReadable, b.threadStarters],
    );
    return { boardId };
  }
}

@CommandHandler(UpdateBoardCommand)
export class UpdateBoardHandler implements ICommandHandler<UpdateBoardCommand> {
  constructor(private readonly store: ForumStore) {}

  async execute({ viewer, boardId, input }: UpdateBoardCommand): Promise<void> {
    requireOperator(viewer);
    const b = cleanBoardInput(input);
    if (!isUuid(boardId)) throw new ForumNotFoundError();
    const rows = await this.store.sql<unknown[]>(
      `update networking.board set name_ja = ?, name_en = ?, description_ja = ?, description_en = ?, visibility = ?, public_readable = ?, thread_starters = ?
        where id = ? returning id`,
      [b.nameJa, b.nameEn, b.descriptionJa, b.descriptionEn, b.visibility, b.publicReadable, b.threadStarters, boardId],
    );
    if (rows.length === 0) throw new ForumNotFoundError();
  }
}

@CommandHandler(ArchiveBoardCommand)
export class ArchiveBoardHandler implements ICommandHandler<ArchiveBoardCommand> {
  constructor(private readonly store: ForumStore) {}

  async execute({ viewer, boardId, archived }: ArchiveBoardCommand): Promise<void> {
    requireOperator(viewer);
    if (!isUuid(boardId)) throw new ForumNotFoundError();
    const rows = await this.store.sql<unknown[]>(
      `update networking.board set archived_at = case when ? then coalesce(archived_at, now()) else null end where id = ? returning id`,
      [archived, boardId],
    );
    if (rows.length === 0) throw new ForumNotFoundError();
  }
}

@CommandHandler(MoveBoardCommand)
export class MoveBoardHandler implements ICommandHandler<MoveBoardCommand> {
  constructor(private readonly store: ForumStore) {}

  async execute({ viewer, boardId, direction }: MoveBoardCommand): Promise<void> {
    requireOperator(viewer);
    if (!isUuid(boardId)) throw new ForumNotFoundError();
    await this.store.em.fork().transactional(async (tx) => {
      // Renumber 1..n in the current order, then swap with the neighbour: positions stay dense and unique.
      const rows = await tx.execute<{ id: string }[]>('select id from networking.board order by position, created_at, id for update');
      const ids = rows.map((r) => r.id);
      const i = ids.indexOf(boardId);
      if (i < 0) throw new ForumNotFoundError();
      const j = direction === 'up' ? i - 1 : i + 1;
      if (j >= 0 && j < ids.length) [ids[i], ids[j]] = [ids[j], ids[i]];
      await tx.execute('update networking.board b set position = o.n from unnest(?::uuid[]) with ordinality as o(id, n) where b.id = o.id', [arrayLiteral(ids)]);
    });
  }
}

/** Board rows with the last thread's title and, for members, their unread threads and watch level. */
async function boardRows(store: ForumStore, viewer: Viewer | null, where: { sql: string; params: unknown[] }): Promise<BoardRow[]> {
  const member = AccessPolicy.isMember(viewer);
  const me = viewer?.memberId ?? null;
  const unread = member
    ? `(select count(*) from networking.thread t
          left join networking.thread_read tr on tr.thread_id = t.id and tr.member_id = ?
         where t.board_id = b.id and t.hidden_at is null
           and t.last_post_at > ${WATERMARK_SQL}
           and t.last_number > coalesce(tr.last_read_number, 0))`
    : '0';
  return store.sql<BoardRow[]>(
    `select b.*, lt.title as last_thread_title, ${unread} as unread, bw.level as watch
       from networking.board b
       left join networking.thread lt on lt.id = b.last_thread_id and lt.hidden_at is null
       left join networking.board_read br on br.board_id = b.id and br.member_id = ?
       left join networking.forum_visit fv on fv.member_id = ?
       left join networking.board_watch bw on bw.board_id = b.id and bw.member_id = ?
      where ${where.sql}
      order by (b.archived_at is not null), b.position, b.created_at, b.id`,
    [...(member ? [me] : []), me, me, me, ...where.params],
  );
}

@QueryHandler(ListBoardsQuery)
export class ListBoardsHandler implements IQueryHandler<ListBoardsQuery> {
  constructor(private readonly store: ForumStore) {}

  async execute({ viewer, locale }: ListBoardsQuery): Promise<BoardView[]> {
    const rows = await boardRows(this.store, viewer, readableBoardsSql(viewer));
    return rows.map((b) => ForumStore.boardView(viewer, b, locale));
  }
}

@QueryHandler(GetBoardQuery)
export class GetBoardHandler implements IQueryHandler<GetBoardQuery> {
  constructor(private readonly store: ForumStore) {}

  async execute({ viewer, boardId, locale }: GetBoardQuery): Promise<BoardView> {
    await this.store.board(viewer, boardId);
    const [row] = await boardRows(this.store, viewer, { sql: 'b.id = ?', params: [boardId] });
    return ForumStore.boardView(viewer, row, locale);
  }
}
