import { Migration } from '@mikro-orm/migrations';

export class Migration20261124073139_member_time_zone extends Migration {

  override name = 'Migration20261124073139_member_time_zone';

  override up(): void | Promise<void> {
    this.addSql(`alter table "membership"."member" add "time_zone" text null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "membership"."member" drop column "time_zone";`);
  }

}
