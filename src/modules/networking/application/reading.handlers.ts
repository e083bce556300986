import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ForbiddenError } from '@libs/ddd';
import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import { MarkBoardReadCommand, MarkThreadReadCommand, RecordForumVisitCommand, WATCH_LEVELS, WatchBoardCommand, WatchThreadCommand, type WatchLevel } from '../contracts';
import { ForumStore } from './forum-store';

/** A visit this long after the previous one starts a new one ("new since your last visit" moves on). */
const NEW_VISIT_AFTER = '30 minutes';

function requireMember(viewer: Viewer): void {
  if (!AccessPolicy.isMember(viewer)) throw new ForbiddenError();
}

@CommandHandler(RecordForumVisitCommand)
export class RecordForumVisitHandler implements ICommandHandler<RecordForumVisitCommand> {
  constructor(private readonly store: ForumStore) {}

  async execute({ viewer }: RecordForumVisitCommand): Promise<{ previousVisitAt: Date }> {
    requireMember(viewer);
    const [row] = await this.store.sql<{ previous_visit_at: Date }[]>(
      `insert into networking.forum_visit as v (member_id, first_visit_at, last_visit_at, previous_visit_at) values (?, now(), now(), now())
       on conflict (member_id) do update set
         previous_visit_at = case when v.last_visit_at < now() - interval '${NEW_VISIT_AFTER}' then v.last_visit_at else v.previous_visit_at end,
         last_visit_at = now()
       returning previous_visit_at`,
      [viewer.memberId],
    );
    return { previousVisitAt: row.previous_visit_at };
  }
}

@CommandHandler(MarkThreadReadCommand)
export class MarkThreadReadHandler implements ICommandHandler<MarkThreadReadCommand> {
  constructor(private readonly store: ForumStore) {}

  async execute({ viewer, threadId, number }: MarkThreadReadCommand): Promise<void> {
    requireMember(viewer);
    const { thread } = await this.store.thread(viewer, threadId);
    const upTo = Math.min(Math.max(0, Math.trunc(number) || 0), thread.last_number);
    if (upTo < 1) return;
    // Only forward: reading page 1 again after page 5 keeps 5's place.
    await this.store.sql(
      `insert into networking.thread_read (member_id, thread_id, last_read_number) values (?, ?, ?)
       on conflict (member_id, thread_id) do update set last_read_number = greatest(thread_read.last_read_number, excluded.last_read_number)
       where thread_read.last_read_number < excluded.last_read_number`,
      [viewer.memberId, thread.id, upTo],
    );
    // The first visit starts the reading state even when the forum's front page was never opened.
    await this.store.sql(
      `insert into networking.forum_visit (member_id, first_visit_at, last_visit_at, previous_visit_at) values (?, now(), now(), now()) on conflict do nothing`,
      [viewer.memberId],
    );
  }
}

@CommandHandler(MarkBoardReadCommand)
export class MarkBoardReadHandler implements ICommandHandler<MarkBoardReadCommand> {
  constructor(private readonly store: ForumStore) {}

  async execute({ viewer, boardId }: MarkBoardReadCommand): Promise<void> {
    requireMember(viewer);
    const board = await this.store.board(viewer, boardId);
    await this.store.sql(
      `insert into networking.board_read (member_id, board_id, marked_read_at) values (?, ?, clock_timestamp())
       on conflict (member_id, board_id) do update set marked_read_at = excluded.marked_read_at`,
      [viewer.memberId, board.id],
    );
  }
}

function level(value: WatchLevel): WatchLevel {
  return WATCH_LEVELS.includes(value) ? value : 'normal';
}

@CommandHandler(WatchThreadCommand)
export class WatchThreadHandler implements ICommandHandler<WatchThreadCommand> {
  constructor(private readonly store: ForumStore) {}

  async execute({ viewer, threadId, level: wanted }: WatchThreadCommand): Promise<void> {
    requireMember(viewer);
    const { thread } = await this.store.thread(viewer, threadId);
    const l = level(wanted);
    if (l === 'normal') await this.store.sql('delete from networking.thread_watch where member_id = ? and thread_id = ?', [viewer.memberId, thread.id]);
    else
      await this.store.sql(
        `insert into networking.thread_watch (member_id, thread_id, level) values (?, ?, ?) on conflict (member_id, thread_id) do update set level = excluded.level`,
        [viewer.memberId, thread.id, l],
      );
  }
}

@CommandHandler(WatchBoardCommand)
export class WatchBoardHandler implements ICommandHandler<WatchBoardCommand> {
  constructor(private readonly store: ForumStore) {}

  async execute({ viewer, boardId, level: wanted }: WatchBoardCommand): Promise<void> {
    requireMember(viewer);
    const board = await this.store.board(viewer, boardId);
    const l = level(wanted);
    if (l === 'normal') await this.store.sql('delete from networking.board_watch where member_id = ? and board_id = ?', [viewer.memberId, board.id]);
    else
      await this.store.sql(
        `insert into networking.board_watch (member_id, board_id, level) values (?, ?, ?) on conflict (member_id, board_id) do update set level = excluded.level`,
        [viewer.memberId, board.id, l],
      );
  }
}
