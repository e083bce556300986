import { Command } from '@nestjs/cqrs';

/** Zones offered first on the account page (any zone the runtime knows is accepted). */
export const COMMON_TIME_ZONES = [
  'Asia/Tokyo',
  'Asia/Seoul',
  'Asia/Shanghai',
  'Asia/Taipei',
  'Asia/Hong_Kong',
  'Asia/Singapore',
  'Asia/Bangkok',
  'Asia/Ho_Chi_Minh',
  'Asia/Jakarta',
  'Asia/Manila',
  'Asia/Kolkata',
  'Asia/Dubai',
  'Australia/Sydney',
  'Pacific/Auckland',
  'Europe/London',
  'Europe/Paris',
  'Europe/Berlin',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Pacific/Honolulu',
  'UTC',
] as const;

/** The IANA time zone the member reads times in (validated against the runtime's list). */
export class ChangeTimeZoneCommand extends Command<void> {
  constructor(readonly memberId: string, readonly timeZone: string) {
    super();
  }
}
