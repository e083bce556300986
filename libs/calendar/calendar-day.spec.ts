import { isCalendarDay } from './calendar-day';

describe('isCalendarDay', () => {
  it.each([
    ['2026-12-07', true],
    ['2024-02-29', true],
    ['1999-01-01', true],
    ['2023-02-29', false],
    ['2026-02-30', false],
    ['2026-13-45', false],
    ['2026-00-10', false],
    ['2026-12-00', false],
    ['0099-01-01', false],
    ['2026-1-7', false],
    ['2026/12/07', false],
    ['２０２６-１２-０７', false],
    [' 2026-12-07', false],
    ['2026-12-07T00:00', false],
    ['', false],
    [20261207, false],
    [null, false],
    [undefined, false],
  ])('%p → %p', (value, expected) => {
    expect(isCalendarDay(value)).toBe(expected);
  });
});
