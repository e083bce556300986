import { Migration } from '@mikro-orm/migrations';

/** The home page's "recently joined near you": newest members per department, year left and year joined. */
export class Migration20261205120000_home_recent_members extends Migration {

  override name = 'Migration20261205120000_home_recent_members';

  override up(): void | Promise<void> {
    this.addSql(`create index "profile_recent_department_idx" on "membership"."profile" ("last_department", "created_at") where member_status in ('employee', 'alumni');`);
    this.addSql(`create index "profile_recent_left_year_idx" on "membership"."profile" ("left_year", "created_at") where member_status in ('employee', 'alumni');`);
    this.addSql(`create index "profile_recent_joined_year_idx" on "membership"."profile" ("joined_year", "created_at") where member_status in ('employee', 'alumni');`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "membership"."profile_recent_department_idx";`);
    this.addSql(`drop index "membership"."profile_recent_left_year_idx";`);
    this.addSql(`drop index "membership"."profile_recent_joined_year_idx";`);
  }

}
