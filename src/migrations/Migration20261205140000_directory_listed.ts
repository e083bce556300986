import { Migration } from '@mikro-orm/migrations';

const DIRECTORY_ROWS = `where listed and member_status in ('employee', 'alumni')`;
const KEYS = `membership.directory_keys(member_id, member_status, search_public_tokens, search_career_tokens, search_employer_tokens, skills_norm, interests_norm, last_department, left_year, location, open_to_comeback, open_to_offers, open_to_side_work)`;

/**
 * Directory: `listed` on the profile (false hides a member from the directory and from other members' searches), and
 * the directory's indexes rebuilt as partial indexes over the rows a directory query may return:
 * - one GIN index over the search keys of a profile — the search tokens of the three field groups (as the application
 *   stores them), a key per filter value (status, skill, interest, department, year left, location grams, open-to
 *   flags) and sample keys (1 in 4, 1 in 16, 1 in 64 members, by member id) — so that every word and filter of a
 *   query is one index lookup, and a count can be taken on a fixed sample;
 * - a GIN index over the 1-3 character grams of the normalised names (the relevance order puts name matches first);
 * - B-tree indexes in the directory's orders (kana, newest first; with and without the status), for walks.
 * The per-group token indexes and the old order indexes are replaced.
 */
export class Migration20261205140000_directory_listed extends Migration {

  override name = 'Migration20261205140000_directory_listed';

  override up(): void | Promise<void> {
    this.addSql(`alter table "membership"."profile" add "listed" boolean not null default true;`);
    // The 1-, 2- and 3-character runs of a normalised text: what libs/search/japanese-text.ts searchTokens makes.
    this.addSql(`create or replace function membership.search_grams(t text) returns text[] language sql immutable strict parallel safe as $$
      select coalesce(array_agg(distinct substr(t, i, n)), '{}')
      from generate_series(1, char_length(t)) as i, generate_series(1, 3) as n
      where i + n - 1 <= char_length(t)
    $$;`);
    // Keys other than search tokens start with '#' and are longer than three characters, so no query word's token
    // (at most three characters) can be one of them.
    this.addSql(`create or replace function membership.directory_keys(
      member_id uuid, status text, public_tokens text[], career_tokens text[], employer_tokens text[],
      skills text[], interests text[], department text, left_year integer, location text,
      comeback boolean, offers boolean, side_work boolean) returns text[] language sql immutable parallel safe as $$
      select public_tokens || career_tokens || employer_tokens
        || array['#status/' || coalesce(status, '')]
        || case when get_byte(uuid_send(member_id), 15) < 4 then array['#sample/4', '#sample/16', '#sample/64']
                when get_byte(uuid_send(member_id), 15) < 16 then array['#sample/4', '#sample/16']
                when get_byte(uuid_send(member_id), 15) < 64 then array['#sample/4']
                else '{}'::text[] end
        || (select coalesce(array_agg('#skill/' || md5(s)), '{}') from unnest(skills) as s)
        || (select coalesce(array_agg('#interest/' || md5(s)), '{}') from unnest(interests) as s)
        || case when department is null then '{}'::text[] else array['#department/' || md5(department)] end
        || case when left_year is null then '{}'::text[] else array['#left/' || left_year] end
        || (select coalesce(array_agg('#location/' || g), '{}') from unnest(membership.search_grams(normalize(location, NFKC))) as g)
        || case when comeback then array['#open/comeback'] else '{}'::text[] end
        || case when offers then array['#open/offers'] else '{}'::text[] end
        || case when side_work then array['#open/side-work'] else '{}'::text[] end
    $$;`);
    this.addSql(`create index "profile_directory_keys_idx" on "membership"."profile" using gin (${KEYS}) ${DIRECTORY_ROWS};`);
    this.addSql(`create index "profile_directory_name_idx" on "membership"."profile" using gin (membership.search_grams(search_name)) ${DIRECTORY_ROWS};`);
    this.addSql(`create index "profile_directory_kana_idx" on "membership"."profile" ("family_name_kana", "given_name_kana", "member_id") ${DIRECTORY_ROWS};`);
    this.addSql(`create index "profile_directory_status_kana_idx" on "membership"."profile" ("member_status", "family_name_kana", "given_name_kana", "member_id") ${DIRECTORY_ROWS};`);
    this.addSql(`create index "profile_directory_newest_idx" on "membership"."profile" ("created_at" desc, "member_id") ${DIRECTORY_ROWS};`);
    this.addSql(`create index "profile_directory_status_newest_idx" on "membership"."profile" ("member_status", "created_at" desc, "member_id") ${DIRECTORY_ROWS};`);
    this.addSql(`drop index if exists "membership"."profile_search_public_idx";`);
    this.addSql(`drop index if exists "membership"."profile_search_career_idx";`);
    this.addSql(`drop index if exists "membership"."profile_search_employer_idx";`);
    this.addSql(`drop index if exists "membership"."profile_directory_order_idx";`);
    this.addSql(`drop index if exists "membership"."profile_directory_recent_idx";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`create index "profile_directory_recent_idx" on "membership"."profile" ("member_status", "created_at", "member_id");`);
    this.addSql(`create index "profile_directory_order_idx" on "membership"."profile" ("member_status", "family_name_kana", "given_name_kana", "member_id");`);
    this.addSql(`create index "profile_search_employer_idx" on "membership"."profile" using gin ("search_employer_tokens");`);
    this.addSql(`create index "profile_search_career_idx" on "membership"."profile" using gin ("search_career_tokens");`);
    this.addSql(`create index "profile_search_public_idx" on "membership"."profile" using gin ("search_public_tokens");`);
    this.addSql(`drop index "membership"."profile_directory_status_newest_idx";`);
    this.addSql(`drop index "membership"."profile_directory_newest_idx";`);
    this.addSql(`drop index "membership"."profile_directory_status_kana_idx";`);
    this.addSql(`drop index "membership"."profile_directory_kana_idx";`);
    this.addSql(`drop index "membership"."profile_directory_name_idx";`);
    this.addSql(`drop index "membership"."profile_directory_keys_idx";`);
    this.addSql(`drop function membership.directory_keys(uuid, text, text[], text[], text[], text[], text[], text, integer, text, boolean, boolean, boolean);`);
    this.addSql(`drop function membership.search_grams(text);`);
    this.addSql(`alter table "membership"."profile" drop column "listed";`);
  }

}
