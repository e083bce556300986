import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, MaxLength, Min } from 'class-validator';
import { EmptyToUndefined, OptionalText, PageNumber } from '@libs/web/form-transforms';
import { BODY_MAX, REACTION_EMOJI, REACTION_KINDS, TITLE_MAX, WATCH_LEVELS, type WatchLevel } from '../contracts';

export class ApiPageRequest {
  @ApiPropertyOptional({ minimum: 1 })
  @PageNumber(100_000)
  page?: number;
}

export class ApiThreadRequest {
  @ApiProperty({ maxLength: TITLE_MAX })
  @IsString()
  @MaxLength(TITLE_MAX * 2)
  title!: string;

  @ApiProperty({ description: 'Markdown', maxLength: BODY_MAX })
  @IsString()
  @MaxLength(BODY_MAX * 2)
  body!: string;
}

export class ApiReplyRequest {
  @ApiProperty({ description: 'Markdown', maxLength: BODY_MAX })
  @IsString()
  @MaxLength(BODY_MAX * 2)
  body!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A post of the same thread to quote' })
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

const KINDS = [...REACTION_KINDS, ...Object.values(REACTION_EMOJI), '❤'];

export class ApiReactionRequest {
  @ApiProperty({ enum: KINDS })
  @IsIn(KINDS)
  kind!: string;
}

export class ApiReportRequest {
  @ApiProperty({ maxLength: 500 })
  @IsString()
  @MaxLength(1000)
  reason!: string;
}

export class ApiReadRequest {
  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  number!: number;
}

export class ApiWatchRequest {
  @ApiProperty({ enum: WATCH_LEVELS })
  @IsIn(WATCH_LEVELS)
  level!: WatchLevel;
}

export class ApiSearchRequest {
  @ApiPropertyOptional({ description: 'Words of two characters or more' })
  @OptionalText(200)
  q?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @EmptyToUndefined()
  @IsOptional()
  @IsUUID()
  board?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @EmptyToUndefined()
  @IsOptional()
  @IsUUID()
  author?: string;

  @ApiPropertyOptional({ example: '2026-04-01' })
  @EmptyToUndefined()
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31' })
  @EmptyToUndefined()
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date' })
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 10 })
  @PageNumber(10)
  page?: number;
}
