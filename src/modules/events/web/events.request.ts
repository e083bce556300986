import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { EmptyToUndefined, OptionalText, PageNumber, ToInt } from '@libs/web/form-transforms';
import { EVENT_CATEGORIES, EVENT_FORMATS, EVENT_LIST_TABS, type EventCategory, type EventFormat, type EventListTab } from '../contracts';

/** The event list's tabs and filter form (GET /events). */
export class EventListRequest {
  @EmptyToUndefined()
  @IsOptional()
  @IsIn(EVENT_LIST_TABS)
  tab?: EventListTab;

  @EmptyToUndefined()
  @IsOptional()
  @IsIn(EVENT_CATEGORIES)
  category?: EventCategory;

  @EmptyToUndefined()
  @IsOptional()
  @IsIn(EVENT_FORMATS)
  format?: EventFormat;

  @EmptyToUndefined()
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month' })
  month?: string;

  @OptionalText(100)
  q?: string;

  /** `mine=1` is the same as the "my registrations" tab. */
  @EmptyToUndefined()
  @IsOptional()
  @IsIn(['1'])
  mine?: '1';

  @PageNumber(500)
  page?: number;
}

/** The registration form: how many companions come along (0 when the event takes none). */
export class RegisterRequest {
  @ToInt()
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(20)
  companions?: number;
}
