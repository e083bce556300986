import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { EmptyToUndefined, OptionalText, PageNumber, ToBool } from '@libs/web/form-transforms';
import { BOARD_VISIBILITIES, BODY_MAX, REACTION_KINDS, THREAD_MODERATIONS, THREAD_STARTERS, TITLE_MAX, WATCH_LEVELS, type BoardVisibilityView, type ReactionKind, type ThreadModeration, type ThreadStartersView, type WatchLevel } from '../contracts';

/** ?page=N (and ?per=50 on a thread, for comparison in benchmarks and for readers who like long pages). */
export class PageRequest {
  @PageNumber(100_000)
  page?: number;

  @EmptyToUndefined()
  @IsOptional()
  @IsIn(['20', '50'])
  per?: '20' | '50';

  /** The post a reply form quotes (from a post's "quote" link). */
  @EmptyToUndefined()
  @IsOptional()
  @IsUUID()
  quote?: string;
}

export class NewThreadRequest {
  @IsString()
  @MaxLength(TITLE_MAX * 2)
  title!: string;

  @IsString()
  @MaxLength(BODY_MAX * 2)
  body!: string;
}

export class ReplyRequest {
  @IsString()
  @MaxLength(BODY_MAX * 2)
  body!: string;

  @EmptyToUndefined()
  @IsOptional()
  @IsUUID()
  quotePostId?: string;
}

export class EditPostRequest {
  @IsString()
  @MaxLength(BODY_MAX * 2)
  body!: string;
}

export class ReactRequest {
  @IsIn(REACTION_KINDS)
  kind!: ReactionKind;

  @EmptyToUndefined()
  @IsOptional()
  @IsIn(['0', '1'])
  on?: '0' | '1';
}

export class ReportRequest {
  @IsString()
  @MaxLength(1000)
  reason!: string;
}

export class WatchRequest {
  @IsIn(WATCH_LEVELS)
  level!: WatchLevel;
}

export class ModerateThreadRequest {
  @IsIn(THREAD_MODERATIONS)
  action!: ThreadModeration;

  @EmptyToUndefined()
  @IsOptional()
  @IsUUID()
  boardId?: string;
}

export class ModeratePostRequest {
  @IsIn(['hide', 'show'])
  action!: 'hide' | 'show';

  @OptionalText(1000)
  note?: string;
}

export class SearchRequest {
  @OptionalText(200)
  q?: string;

  @EmptyToUndefined()
  @IsOptional()
  @IsUUID()
  board?: string;

  @EmptyToUndefined()
  @IsOptional()
  @IsUUID()
  author?: string;

  /** Checked by the search (a day that does not exist is said next to its field, with the page). */
  @OptionalText(20)
  from?: string;

  @OptionalText(20)
  to?: string;

  @PageNumber(10)
  page?: number;
}

export class MentionRequest {
  @IsUUID()
  board!: string;

  @IsString()
  @MaxLength(40)
  q!: string;
}

export class BoardRequest {
  @IsString()
  @MaxLength(120)
  nameJa!: string;

  @OptionalText(120)
  nameEn?: string;

  @OptionalText(1000)
  descriptionJa?: string;

  @OptionalText(1000)
  descriptionEn?: string;

  @IsIn(BOARD_VISIBILITIES)
  visibility!: BoardVisibilityView;

  @IsIn(THREAD_STARTERS)
  threadStarters!: ThreadStartersView;

  @ToBool()
  @IsOptional()
  publicReadable?: boolean;
}

export class MoveBoardRequest {
  @IsIn(['up', 'down'])
  direction!: 'up' | 'down';
}

export class ArchiveBoardRequest {
  @IsIn(['0', '1'])
  archived!: '0' | '1';
}

