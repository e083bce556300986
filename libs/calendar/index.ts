export * from './ics';
export * from './zoned-time';
export * from './date-format';
export * from './calendar-day';
