import { Migration } from '@mikro-orm/migrations';

/**
 * Directory search: search columns on membership.profile (filled by the application, see libs/search/japanese-text.ts),
 * a copy of the member's status kept by triggers so that searches need no join, and storage settings that keep the
 * heap narrow.
 */
export class Migration20261124060210_directory_search extends Migration {

  override name = 'Migration20261124060210_directory_search';

  override up(): void | Promise<void> {
    this.addSql(`create or replace function "membership"."member_member_give_status_to_profile_fn"() returns trigger as \$\$ begin update membership.profile set member_status = new.status where member_id = new.id and member_status is distinct from new.status; return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "member_give_status_to_profile" AFTER INSERT OR UPDATE on "membership"."member" for each ROW execute function "membership"."member_member_give_status_to_profile_fn"();`);

    this.addSql(`alter table "membership"."profile" add "created_at" timestamptz not null default now(), add "search_name" text not null default '', add "search_public" text not null default '', add "search_public_tokens" text[] not null default '{}', add "search_career" text not null default '', add "search_career_tokens" text[] not null default '{}', add "search_employer" text not null default '', add "search_employer_tokens" text[] not null default '{}', add "member_status" text null, add "skills_norm" text[] not null default '{}', add "interests_norm" text[] not null default '{}';`);
    // Keep the heap narrow: long search texts and token arrays out of line, what a result list shows in the row.
    this.addSql(`alter table "membership"."profile" set (toast_tuple_target = 128);`);
    this.addSql(`alter table "membership"."profile"
      alter column "search_public_tokens" set storage external, alter column "search_career_tokens" set storage external,
      alter column "search_employer_tokens" set storage external, alter column "search_public" set storage external,
      alter column "search_career" set storage external, alter column "search_employer" set storage external,
      alter column "family_name" set storage main, alter column "given_name" set storage main,
      alter column "family_name_kana" set storage main, alter column "given_name_kana" set storage main,
      alter column "romaji_name" set storage main, alter column "search_name" set storage main,
      alter column "last_department" set storage main, alter column "last_position" set storage main,
      alter column "location" set storage main, alter column "current_company" set storage main,
      alter column "photo_key" set storage main, alter column "skills_norm" set storage main,
      alter column "interests_norm" set storage main, alter column "privacy" set storage main;`);
    this.addSql(`update "membership"."profile" p set "member_status" = m."status", "created_at" = m."created_at" from "membership"."member" m where m."id" = p."member_id";`);
    this.addSql(`create index "profile_left_year_idx" on "membership"."profile" ("left_year");`);
    this.addSql(`create index "profile_directory_recent_idx" on "membership"."profile" ("member_status", "created_at", "member_id");`);
    this.addSql(`create index "profile_directory_order_idx" on "membership"."profile" ("member_status", "family_name_kana", "given_name_kana", "member_id");`);
    this.addSql(`create index "profile_department_idx" on "membership"."profile" ("last_department");`);
    this.addSql(`create index "profile_interests_norm_idx" on "membership"."profile" using gin ("interests_norm");`);
    this.addSql(`create index "profile_skills_norm_idx" on "membership"."profile" using gin ("skills_norm");`);
    this.addSql(`create index "profile_search_employer_idx" on "membership"."profile" using gin ("search_employer_tokens");`);
    this.addSql(`create index "profile_search_career_idx" on "membership"."profile" using gin ("search_career_tokens");`);
    this.addSql(`create index "profile_search_public_idx" on "membership"."profile" using gin ("search_public_tokens");`);
    this.addSql(`create or replace function "membership"."profile_profile_take_member_status_fn"() returns trigger as \$\$ begin new.member_status := (select status from membership.member where id = new.member_id); return new; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "profile_take_member_status" BEFORE INSERT on "membership"."profile" for each ROW execute function "membership"."profile_profile_take_member_status_fn"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "member_give_status_to_profile" on "membership"."member";`);
    this.addSql(`drop function if exists "membership"."member_member_give_status_to_profile_fn"();`);

    this.addSql(`drop index "membership"."profile_left_year_idx";`);
    this.addSql(`drop index "membership"."profile_directory_recent_idx";`);
    this.addSql(`drop index "membership"."profile_directory_order_idx";`);
    this.addSql(`drop index "membership"."profile_department_idx";`);
    this.addSql(`drop index "membership"."profile_interests_norm_idx";`);
    this.addSql(`drop index "membership"."profile_skills_norm_idx";`);
    this.addSql(`drop index "membership"."profile_search_employer_idx";`);
    this.addSql(`drop index "membership"."profile_search_career_idx";`);
    this.addSql(`drop index "membership"."profile_search_public_idx";`);
    this.addSql(`drop trigger if exists "profile_take_member_status" on "membership"."profile";`);
    this.addSql(`drop function if exists "membership"."profile_profile_take_member_status_fn"();`);
    this.addSql(`alter table "membership"."profile" drop column "created_at", drop column "search_name", drop column "search_public", drop column "search_public_tokens", drop column "search_career", drop column "search_career_tokens", drop column "search_employer", drop column "search_employer_tokens", drop column "member_status", drop column "skills_norm", drop column "interests_norm";`);
  }

}
