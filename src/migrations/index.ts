import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124050005_initial as M0 } from './Migration20261124050005_initial';
import { Migration20261124052645_profile_kana_order as M1 } from './Migration20261124052645_profile_kana_order';
import { Migration20261124060210_directory_search as M2 } from './Migration20261124060210_directory_search';
import { Migration20261124064948_roster_and_privacy as M3 } from './Migration20261124064948_roster_and_privacy';
import { Migration20261124070500_search_text_inline as M4 } from './Migration20261124070500_search_text_inline';
import { Migration20261124071820_roster_entry_invitation as M5 } from './Migration20261124071820_roster_entry_invitation';
import { Migration20261124073043_events_and_notifications as M6 } from './Migration20261124073043_events_and_notifications';
import { Migration20261124073139_member_time_zone as M7 } from './Migration20261124073139_member_time_zone';
import { Migration20261124080111_event_calendar_sequence as M8 } from './Migration20261124080111_event_calendar_sequence';
import { Migration20261205100000_search_keys_variant_kanji as M9 } from './Migration20261205100000_search_keys_variant_kanji';
import { Migration20261205110000_profile_photo_images as M10 } from './Migration20261205110000_profile_photo_images';
import { Migration20261205120000_home_recent_members as M11 } from './Migration20261205120000_home_recent_members';
import { Migration20261205130000_register_for_event_function as M12 } from './Migration20261205130000_register_for_event_function';
import { Migration20261205140000_directory_listed as M13 } from './Migration20261205140000_directory_listed';
import { Migration20261205150000_roster_leavers_not_mailed as M14 } from './Migration20261205150000_roster_leavers_not_mailed';
import { Migration20261205150100_profile_listed as M15 } from './Migration20261205150100_profile_listed';
import { Migration20261207010000_forum_and_moderation as M16 } from './Migration20261207010000_forum_and_moderation';
import { Migration20261208010000_chat as M17 } from './Migration20261208010000_chat';
import { Migration20261209010000_content as M18 } from './Migration20261209010000_content';

/** Every migration, in order. `npm run migration:create -- <name>` writes a new file and this list. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261124050005_initial', class: M0 },
  { name: 'Migration20261124052645_profile_kana_order', class: M1 },
  { name: 'Migration20261124060210_directory_search', class: M2 },
  { name: 'Migration20261124064948_roster_and_privacy', class: M3 },
  { name: 'Migration20261124070500_search_text_inline', class: M4 },
  { name: 'Migration20261124071820_roster_entry_invitation', class: M5 },
  { name: 'Migration20261124073043_events_and_notifications', class: M6 },
  { name: 'Migration20261124073139_member_time_zone', class: M7 },
  { name: 'Migration20261124080111_event_calendar_sequence', class: M8 },
  { name: 'Migration20261205100000_search_keys_variant_kanji', class: M9 },
  { name: 'Migration20261205110000_profile_photo_images', class: M10 },
  { name: 'Migration20261205120000_home_recent_members', class: M11 },
  { name: 'Migration20261205130000_register_for_event_function', class: M12 },
  { name: 'Migration20261205140000_directory_listed', class: M13 },
  { name: 'Migration20261205150000_roster_leavers_not_mailed', class: M14 },
  { name: 'Migration20261205150100_profile_listed', class: M15 },
  { name: 'Migration20261207010000_forum_and_moderation', class: M16 },
  { name: 'Migration20261208010000_chat', class: M17 },
  { name: 'Migration20261209010000_content', class: M18 },
];
