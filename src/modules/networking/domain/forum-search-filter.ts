import { DomainError } from '@libs/ddd';
import { isCalendarDay } from '@libs/calendar/calendar-day';
import { LONG_TEXT_MIN_WORD, queryWords } from '@libs/search/japanese-text';
import { SearchWordTooShortError } from './forum.errors';

/**
 * Everything a forum search refuses in its box and dates, all at once, in the order of the form: words that are all
 * too short (`q`), a day that does not exist (2026-13-45, a hand-edited link) in `from` or `to`, and a range that
 * ends before it starts (`to`). The search answers the first; the search page shows each next to its field.
 */
export function forumSearchProblems(filter: { q: string; from?: string; to?: string }): DomainError[] {
  const problems: DomainError[] = [];
  const typed = queryWords(filter.q);
  if (typed.length > 0 && !typed.some((w) => [...w].length >= LONG_TEXT_MIN_WORD)) problems.push(new SearchWordTooShortError());
  for (const field of ['from', 'to'] as const) {
    if (filter[field] && !isCalendarDay(filter[field])) problems.push(new DomainError('validation.isDateString', { field }));
  }
  if (filter.from && filter.to && isCalendarDay(filter.from) && isCalendarDay(filter.to) && filter.from > filter.to) problems.push(new DomainError('validation.dateRange', { field: 'to' }));
  return problems;
}
