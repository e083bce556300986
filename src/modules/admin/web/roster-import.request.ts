import { PageNumber } from '@libs/web/form-transforms';

export class RosterImportListQuery {
  @PageNumber(10000)
  page?: number;
}
