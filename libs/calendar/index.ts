export * from './ics';
export * from './zoned-time';
