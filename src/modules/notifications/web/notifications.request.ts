import { ArrayMaxSize, IsArray, IsOptional, IsUUID } from 'class-validator';
import { PageNumber } from '@libs/web/form-transforms';
import { NOTIFICATIONS_PAGE_SIZE } from '../contracts';

export class NotificationsPageQuery {
  @PageNumber(100000)
  page?: number;
}

/** Marking read: the ids a list showed (`ids[]`), or nothing for all. */
export class MarkNotificationsReadRequest {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(NOTIFICATIONS_PAGE_SIZE)
  @IsUUID('all', { each: true })
  ids?: string[];
}
