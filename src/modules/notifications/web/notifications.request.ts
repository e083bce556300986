import { PageNumber } from '@libs/web/form-transforms';

export class NotificationsPageQuery {
  @PageNumber(100000)
  page?: number;
}
