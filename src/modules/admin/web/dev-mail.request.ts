import { OptionalText, PageNumber } from '@libs/web/form-transforms';

/** The local outbox's list: a page, and part of a recipient's address. */
export class DevMailListQuery {
  @OptionalText(254)
  to?: string;

  @PageNumber(100_000)
  page?: number;
}
