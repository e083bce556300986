import { Migration } from '@mikro-orm/migrations';

export class Migration20261205150100_profile_listed extends Migration {

  override name = 'Migration20261205150100_profile_listed';

  override up(): void | Promise<void> {
    // `if not exists`: the directory's own migration may add the same column with the same definition.
    this.addSql(`alter table "membership"."profile" add column if not exists "listed" boolean not null default true;`);
    // Members whose newest 'community' consent decision is a withdrawal are not listed; no record at all means listed
    // (consent to the community is given by joining).
    this.addSql(`update "membership"."profile" p set "listed" = false
      where exists (
        select 1 from (
          select distinct on (member_id) member_id, granted from "privacy"."consent_record"
           where purpose = 'community' order by member_id, recorded_at desc, id desc
        ) latest where latest.member_id = p.member_id and not latest.granted
      );`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "membership"."profile" drop column if exists "listed";`);
  }

}
