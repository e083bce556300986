import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { EmptyToUndefined, OptionalText, PageNumber, ToBool, Trim } from '@libs/web/form-transforms';
import {
  BODY_MAX,
  COMMENT_MAX,
  CONTENT_LANGUAGES,
  CONTENT_TYPES,
  CONTENT_VISIBILITIES,
  RETURN_COMMENT_MAX,
  SUMMARY_MAX,
  TITLE_MAX,
  type ContentLanguage,
  type ContentType,
  type ContentVisibility,
} from '../contracts';
import { TAGS_INPUT_MAX } from './content-view';

/**
 * /content?type=&tag=&q=&from=&to=&page= — the dates and words a person types are checked by the page, which says
 * what is wrong next to the filter rather than showing an error page.
 */
export class ContentListRequest {
  /** A type that does not exist is a bad address (the tabs only link the four). */
  @EmptyToUndefined()
  @IsOptional()
  @IsIn(CONTENT_TYPES)
  type?: ContentType;

  @OptionalText(100)
  tag?: string;

  @OptionalText(200)
  q?: string;

  @OptionalText(20)
  from?: string;

  @OptionalText(20)
  to?: string;

  @PageNumber(10_000)
  page?: number;
}

export class PageRequest {
  @PageNumber(10_000)
  page?: number;
}

/** /content/new?type=event-report&eventId=… (the event page's 「レポートを書く」). */
export class NewContentRequest {
  @EmptyToUndefined()
  @IsOptional()
  @IsIn(CONTENT_TYPES)
  type?: ContentType;

  @EmptyToUndefined()
  @IsOptional()
  @IsUUID()
  eventId?: string;
}

/** /content/:id/edit?cover=<image id>: a cover just uploaded without the script, to be saved with the form. */
export class EditContentRequest {
  @EmptyToUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  cover?: string;
}

/**
 * The editor: the form (urlencoded), the autosave and the first save (JSON). Every field may be left out (a partial
 * save keeps it); what is required and how long a field may be is the item's rule, answered field by field.
 */
export class ContentFormRequest {
  @EmptyToUndefined()
  @IsOptional()
  @IsIn(CONTENT_TYPES)
  type?: ContentType;

  @Trim()
  @IsOptional()
  @IsString()
  @MaxLength(TITLE_MAX * 4)
  title?: string;

  @IsOptional()
  @IsString()
  @MaxLength(SUMMARY_MAX * 4)
  summary?: string;

  @IsOptional()
  @IsString()
  @MaxLength(BODY_MAX * 2)
  body?: string;

  /** Typed as one text: commas or spaces between tags. */
  @IsOptional()
  @IsString()
  @MaxLength(TAGS_INPUT_MAX)
  tags?: string;

  @EmptyToUndefined()
  @IsOptional()
  @IsIn(CONTENT_VISIBILITIES)
  visibility?: ContentVisibility;

  @EmptyToUndefined()
  @IsOptional()
  @IsIn(CONTENT_LANGUAGES)
  language?: ContentLanguage;

  /** '' (none) or the event an event report is about. */
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsOptional()
  @ValidateIf((o: ContentFormRequest) => o.eventId !== '')
  @IsUUID()
  eventId?: string;

  /** An image id from an upload with purpose `cover`, to make it the cover. */
  @EmptyToUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  coverImageId?: string;

  @ToBool()
  @IsOptional()
  removeCover?: boolean;

  @IsOptional()
  @IsString()
  @MaxLength(400)
  coverAlt?: string;

  /** Which button saved the form: save, save and submit for review, save and publish (operators). */
  @EmptyToUndefined()
  @IsOptional()
  @IsIn(['save', 'submit', 'publish'])
  intent?: 'save' | 'submit' | 'publish';
}

export class PublishRequest {
  /** datetime-local in the viewer's time zone; empty publishes now. */
  @OptionalText(30)
  at?: string;
}

export class ReviewCommentRequest {
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(RETURN_COMMENT_MAX)
  comment!: string;
}

export class FeatureRequest {
  @IsIn(['0', '1'])
  featured!: '0' | '1';
}

export class LikeRequest {
  @EmptyToUndefined()
  @IsOptional()
  @IsIn(['0', '1'])
  on?: '0' | '1';
}

export class CommentRequest {
  @IsString()
  @MaxLength(COMMENT_MAX * 2)
  body!: string;

  @EmptyToUndefined()
  @IsOptional()
  @IsUUID()
  parentId?: string;
}

export class CommentActionRequest {
  /** The item the comment is on, to come back to. */
  @IsUUID()
  contentId!: string;
}

export class CommentReportRequest {
  /** The item the comment is on (the report page no longer sends it; the comment says where it is). */
  @EmptyToUndefined()
  @IsOptional()
  @IsUUID()
  contentId?: string;

  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;
}

const toNumber = () =>
  Transform(({ value }) => {
    if (value === '' || value === undefined || value === null) return undefined;
    if (typeof value === 'string' && /^\s*-?\d*(?:\.\d+)?\s*$/.test(value)) return Number(value);
    return value;
  });

export class ImageUploadRequest {
  /** A picture for the body unless it is the cover. */
  @EmptyToUndefined()
  @IsOptional()
  @IsIn(['cover', 'body'])
  purpose?: 'cover' | 'body';

  /** The cover's focus, 0–1 from the left and from the top (the card and OGP crops are centred on it). */
  @toNumber()
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  focusX?: number;

  @toNumber()
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  focusY?: number;
}

export class RevisionsRequest {
  /** One version to look at. */
  @EmptyToUndefined()
  @IsOptional()
  @IsUUID()
  v?: string;
}
