import { Migration } from '@mikro-orm/migrations';

export class Migration20261124052645_profile_kana_order extends Migration {

  override name = 'Migration20261124052645_profile_kana_order';

  override up(): void | Promise<void> {
    this.addSql(`drop index "membership"."profile_family_name_kana_given_name_kana_index";`);
    this.addSql(`create index "profile_kana_order_idx" on "membership"."profile" ("family_name_kana", "given_name_kana", "member_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "membership"."profile_kana_order_idx";`);
    this.addSql(`create index "profile_family_name_kana_given_name_kana_index" on "membership"."profile" ("family_name_kana", "given_name_kana");`);
  }

}
