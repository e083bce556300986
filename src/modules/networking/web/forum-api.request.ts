import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { EmptyToUndefined, IsCalendarDay, OptionalText, PageNumber } from '@libs/web/form-transforms';
import { REPORT_REASON_MAX } from '@modules/moderation/contracts';
import { BODY_MAX, REACTION_EMOJI, REACTION_KINDS, TITLE_MAX, WATCH_LEVELS, type WatchLevel } from '../contracts';

// The JSON API's request classes. Lengths are checked twice as loosely here as the forum's own rules, so that the
// forum answers with its own message ("120文字以内で…") for text that is a little too long, and this layer refuses
// only what is far off. Ids that are not ids, pages that are not pages, wrong types and unknown fields are a 400
// with the field's message; an id of something the caller may not read is a 404 from the forum.

export class ApiBoardParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  boardId!: string;
}

export class ApiIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}

/** The reaction kinds by name and by emoji (❤ with or without its variation selector). */
export const API_REACTION_KINDS = [...REACTION_KINDS, ...Object.values(REACTION_EMOJI), '❤'];

export class ApiReactionParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;

  @ApiProperty({ enum: API_REACTION_KINDS, description: 'A kind (like) or its emoji (👍, URL-encoded)' })
  @IsIn(API_REACTION_KINDS)
  kind!: string;
}

export class ApiPageRequest {
  @ApiPropertyOptional({ minimum: 1, maximum: 100_000, description: 'Page number, from 1' })
  @PageNumber(100_000)
  page?: number;
}

export class ApiThreadRequest {
  @ApiProperty({ maxLength: TITLE_MAX })
  @IsString()
  @MaxLength(TITLE_MAX * 2)
  title!: string;

  @ApiProperty({ description: 'Markdown; `@名前` mentions a member who may read the board', maxLength: BODY_MAX })
  @IsString()
  @MaxLength(BODY_MAX * 2)
  body!: string;
}

export class ApiReplyRequest {
  @ApiProperty({ description: 'Markdown', maxLength: BODY_MAX })
  @IsString()
  @MaxLength(BODY_MAX * 2)
  body!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A post of the same thread to quote', nullable: true })
  @EmptyToUndefined()
  @IsOptional()
  @IsUUID()
  quotePostId?: string;
}

export class ApiEditRequest {
  @ApiProperty({ description: 'Markdown', maxLength: BODY_MAX })
  @IsString()
  @MaxLength(BODY_MAX * 2)
  body!: string;
}

export class ApiReactionRequest {
  @ApiProperty({ enum: API_REACTION_KINDS, description: 'like, heart, smile, tada, thanks, eyes — or 👍 ❤️ 😄 🎉 🙏 👀' })
  @IsIn(API_REACTION_KINDS)
  kind!: string;
}

export class ApiForumReportRequest {
  @ApiProperty({ maxLength: REPORT_REASON_MAX, description: 'What is wrong with the post (operators read it)' })
  @IsString()
  @MaxLength(REPORT_REASON_MAX * 2)
  reason!: string;
}

export class ApiForumReadRequest {
  @ApiProperty({ minimum: 1, description: 'The last post number read' })
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  number!: number;
}

export class ApiWatchRequest {
  @ApiProperty({ enum: WATCH_LEVELS, description: 'watching: every new post; normal: replies to, mentions and quotes of you; muted: nothing' })
  @IsIn(WATCH_LEVELS)
  level!: WatchLevel;
}

export class ApiSearchRequest {
  @ApiPropertyOptional({ description: 'Words of two characters or more (Japanese-aware: width, kana and variants folded)' })
  @OptionalText(200)
  q?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only this board' })
  @EmptyToUndefined()
  @IsOptional()
  @IsUUID()
  board?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only posts by this member' })
  @EmptyToUndefined()
  @IsOptional()
  @IsUUID()
  author?: string;

  @ApiPropertyOptional({ example: '2026-04-01', description: 'From this day (Asia/Tokyo), included' })
  @EmptyToUndefined()
  @IsOptional()
  @IsCalendarDay()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'Until this day (Asia/Tokyo), included' })
  @EmptyToUndefined()
  @IsOptional()
  @IsCalendarDay()
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 10 })
  @PageNumber(10)
  page?: number;
}
