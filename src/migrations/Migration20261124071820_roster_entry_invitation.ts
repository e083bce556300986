import { Migration } from '@mikro-orm/migrations';

export class Migration20261124071820_roster_entry_invitation extends Migration {

  override name = 'Migration20261124071820_roster_entry_invitation';

  override up(): void | Promise<void> {
    this.addSql(`create index "roster_entry_invitation_id_index" on "membership"."roster_entry" ("invitation_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "membership"."roster_entry_invitation_id_index";`);
  }

}
