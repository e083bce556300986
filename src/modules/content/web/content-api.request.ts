import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength, ValidateBy, ValidateIf } from 'class-validator';
import { Transform } from 'class-transformer';
import { EmptyToUndefined, IsCalendarDay, OptionalText, PageNumber } from '@libs/web/form-transforms';
import { UuidPipe } from '@libs/web/request-context';
import {
  BODY_MAX,
  COMMENT_MAX,
  CONTENT_LANGUAGES,
  CONTENT_TYPES,
  CONTENT_VISIBILITIES,
  RETURN_COMMENT_MAX,
  SUMMARY_MAX,
  TAG_MAX,
  TAGS_MAX,
  TITLE_MAX,
  type ContentLanguage,
  type ContentType,
  type ContentVisibility,
} from '../contracts';
import { ContentNotFoundError } from '../domain/content.errors';

// The JSON API's request classes. Lengths are checked twice as loosely here as Content's own rules, so that Content
// answers with its own message ("120文字以内で…") for text that is a little too long, and this layer refuses only what
// is far off. Wrong types, unknown values and unknown fields are a 400 with the field's message; an id that is not an
// id is a 404, the same answer as for an item the caller may not see.

/** A route's item or comment id: anything that is not a uuid is an item that does not exist (404). */
export const ContentIdPipe = new UuidPipe(() => new ContentNotFoundError());

/** An ISO 8601 date-time with its offset (2026-12-24T09:00:00+09:00, …Z) that exists; anything else is `validation.isDateString`. */
const DATE_TIME = /^(19|20)\d{2}-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/;
const IsDateTime = () =>
  ValidateBy({
    name: 'isDateString',
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'string') return false;
        const m = DATE_TIME.exec(value);
        if (!m) return false;
        const month = Number(m[2]);
        const day = Number(m[3]);
        if (month < 1 || month > 12 || day < 1) return false;
        // The day exists in its month (no 2026-02-30).
        const last = new Date(Date.UTC(Number(value.slice(0, 4)), month, 0)).getUTCDate();
        return day <= last && !Number.isNaN(Date.parse(value));
      },
      defaultMessage: () => 'isDateString',
    },
  });

/** Tags as a JSON array of strings, or as one text split on commas (、，,) and new lines; each tag keeps its characters. */
const ToTagList = () =>
  Transform(({ value }) => {
    if (typeof value === 'string') return [...new Set(value.split(/[,、，\n\r]+/).map((t) => t.trim()).filter(Boolean))];
    if (Array.isArray(value)) return value.map((t) => (typeof t === 'string' ? t.trim() : t)).filter((t) => t !== '');
    return value;
  });

/** A field that may be left out of a PATCH but, when sent, must hold a value (null is refused). */
const Sent = () => ValidateIf((_, value) => value !== undefined);

export class ApiContentListRequest {
  @ApiPropertyOptional({ enum: CONTENT_TYPES, description: 'news: 企業ニュース, industry: 業界情報, column: コラム, event-report: イベントレポート' })
  @EmptyToUndefined()
  @IsOptional()
  @IsIn(CONTENT_TYPES)
  type?: ContentType;

  @ApiPropertyOptional({ description: 'One tag, as typed (matched folded: width, kana and variants)' })
  @OptionalText(TAG_MAX * 2)
  tag?: string;

  @ApiPropertyOptional({ description: 'Words of two characters or more over title, summary and body (Japanese-aware)' })
  @OptionalText(200)
  q?: string;

  @ApiPropertyOptional({ example: '2026-04-01', description: 'Published from this day (Asia/Tokyo), included' })
  @EmptyToUndefined()
  @IsOptional()
  @IsCalendarDay()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'Published until this day (Asia/Tokyo), included' })
  @EmptyToUndefined()
  @IsOptional()
  @IsCalendarDay()
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 10_000, description: 'Page number, from 1' })
  @PageNumber(10_000)
  page?: number;
}

export class ApiContentPageRequest {
  @ApiPropertyOptional({ minimum: 1, maximum: 10_000, description: 'Page number, from 1' })
  @PageNumber(10_000)
  page?: number;
}

/** The fields of an item; every one may be left out of a PATCH (what is not sent stays). */
class ContentFields {
  @ApiPropertyOptional({ maxLength: SUMMARY_MAX, description: 'A sentence or two for cards, search results and OGP' })
  @Sent()
  @IsString()
  @MaxLength(SUMMARY_MAX * 2)
  summary?: string;

  @ApiPropertyOptional({ type: [String], maxItems: TAGS_MAX, description: `At most ${TAGS_MAX} tags of ${TAG_MAX} characters (or one text, comma separated)` })
  @Sent()
  @ToTagList()
  @IsArray()
  @ArrayMaxSize(TAGS_MAX * 2)
  @IsString({ each: true })
  @MaxLength(TAG_MAX * 2, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ enum: CONTENT_VISIBILITIES, default: 'members', description: 'public: visitors too (feed, sitemap, OGP); members; alumni; employees' })
  @Sent()
  @IsIn(CONTENT_VISIBILITIES)
  visibility?: ContentVisibility;

  @ApiPropertyOptional({ enum: CONTENT_LANGUAGES, default: 'ja' })
  @Sent()
  @IsIn(CONTENT_LANGUAGES)
  language?: ContentLanguage;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'event-report only: the past event it reports on (null: none)' })
  @IsOptional()
  @IsUUID()
  eventId?: string | null;

  @ApiPropertyOptional({ nullable: true, description: 'An image id from POST /content/:id/images with purpose cover (null: no cover)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  coverImageId?: string | null;

  @ApiPropertyOptional({ maxLength: 200, description: 'The cover image described in words' })
  @Sent()
  @IsString()
  @MaxLength(400)
  coverAlt?: string;
}

export class ApiCreateContentRequest extends ContentFields {
  @ApiProperty({ enum: CONTENT_TYPES })
  @IsIn(CONTENT_TYPES)
  type!: ContentType;

  @ApiProperty({ maxLength: TITLE_MAX })
  @IsString()
  @MaxLength(TITLE_MAX * 2)
  title!: string;

  @ApiProperty({ maxLength: BODY_MAX, description: 'Markdown (images: `![説明](/content/images/…/960)` from an upload)' })
  @IsString()
  @MaxLength(BODY_MAX * 2)
  body!: string;
}

export class ApiUpdateContentRequest extends ContentFields {
  @ApiPropertyOptional({ enum: CONTENT_TYPES })
  @Sent()
  @IsIn(CONTENT_TYPES)
  type?: ContentType;

  @ApiPropertyOptional({ maxLength: TITLE_MAX })
  @Sent()
  @IsString()
  @MaxLength(TITLE_MAX * 2)
  title?: string;

  @ApiPropertyOptional({ maxLength: BODY_MAX, description: 'Markdown' })
  @Sent()
  @IsString()
  @MaxLength(BODY_MAX * 2)
  body?: string;
}

export class ApiPublishRequest {
  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-12-24T09:00:00+09:00',
    nullable: true,
    description: 'Publish at this time (a scheduled publication; sending another time moves it). Absent or null: now. A time in the past is refused.',
  })
  @IsOptional()
  @IsDateTime()
  at?: string | null;
}

export class ApiReviewCommentRequest {
  @ApiProperty({ maxLength: RETURN_COMMENT_MAX, description: 'What the author should change, or why it is declined (the author reads it)' })
  @IsString()
  @MaxLength(RETURN_COMMENT_MAX * 2)
  comment!: string;
}

export class ApiCommentRequest {
  @ApiProperty({ maxLength: COMMENT_MAX, description: 'Markdown' })
  @IsString()
  @MaxLength(COMMENT_MAX * 2)
  body!: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'A top-level comment of the same item to reply to (one level of replies)' })
  @EmptyToUndefined()
  @IsOptional()
  @IsUUID()
  parentId?: string | null;
}
