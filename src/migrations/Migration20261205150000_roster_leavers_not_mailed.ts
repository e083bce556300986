import { Migration } from '@mikro-orm/migrations';

export class Migration20261205150000_roster_leavers_not_mailed extends Migration {

  override name = 'Migration20261205150000_roster_leavers_not_mailed';

  override up(): void | Promise<void> {
    this.addSql(`alter table "membership"."roster_import" add "leavers_not_mailed" int null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "membership"."roster_import" drop column "leavers_not_mailed";`);
  }

}
