import { Migration } from '@mikro-orm/migrations';

/**
 * The searchable texts (a few hundred bytes each) stay in the heap row instead of TOAST storage: checking a longer
 * word against the text then reads the row the index lookup already fetched, instead of one TOAST lookup per match.
 * The token arrays (several kilobytes) stay out of line. Existing rows are rewritten so that they take the new storage.
 */
export class Migration20261124070500_search_text_inline extends Migration {

  override name = 'Migration20261124070500_search_text_inline';

  override up(): void | Promise<void> {
    this.addSql(`alter table "membership"."profile" alter column "search_public" set storage main, alter column "search_career" set storage main, alter column "search_employer" set storage main;`);
    this.addSql(`update "membership"."profile" set "search_public" = "search_public" || '', "search_career" = "search_career" || '', "search_employer" = "search_employer" || '';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "membership"."profile" alter column "search_public" set storage external, alter column "search_career" set storage external, alter column "search_employer" set storage external;`);
  }

}
