import { Migration } from '@mikro-orm/migrations';

export class Migration20261124054913_directory_search extends Migration {

  override name = 'Migration20261124054913_directory_search';

  override up(): void | Promise<void> {
    this.addSql(`alter table "membership"."profile" add "search_name" text not null default '', add "search_public" text not null default '', add "search_public_tokens" text[] not null default '{}', add "search_career" text not null default '', add "search_career_tokens" text[] not null default '{}', add "search_employer" text not null default '', add "search_employer_tokens" text[] not null default '{}', add "skills_norm" text[] not null default '{}', add "interests_norm" text[] not null default '{}';`);
    this.addSql(`create index "profile_left_year_idx" on "membership"."profile" ("left_year");`);
    this.addSql(`create index "profile_department_idx" on "membership"."profile" ("last_department");`);
    this.addSql(`create index "profile_interests_norm_idx" on "membership"."profile" using gin ("interests_norm");`);
    this.addSql(`create index "profile_skills_norm_idx" on "membership"."profile" using gin ("skills_norm");`);
    this.addSql(`create index "profile_search_employer_idx" on "membership"."profile" using gin ("search_employer_tokens");`);
    this.addSql(`create index "profile_search_career_idx" on "membership"."profile" using gin ("search_career_tokens");`);
    this.addSql(`create index "profile_search_public_idx" on "membership"."profile" using gin ("search_public_tokens");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "membership"."profile_left_year_idx";`);
    this.addSql(`drop index "membership"."profile_department_idx";`);
    this.addSql(`drop index "membership"."profile_interests_norm_idx";`);
    this.addSql(`drop index "membership"."profile_skills_norm_idx";`);
    this.addSql(`drop index "membership"."profile_search_employer_idx";`);
    this.addSql(`drop index "membership"."profile_search_career_idx";`);
    this.addSql(`drop index "membership"."profile_search_public_idx";`);
    this.addSql(`alter table "membership"."profile" drop column "search_name", drop column "search_public", drop column "search_public_tokens", drop column "search_career", drop column "search_career_tokens", drop column "search_employer", drop column "search_employer_tokens", drop column "skills_norm", drop column "interests_norm";`);
  }

}
