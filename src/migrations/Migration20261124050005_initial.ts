import { Migration } from '@mikro-orm/migrations';

export class Migration20261124050005_initial extends Migration {

  override name = 'Migration20261124050005_initial';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "membership";`);
    this.addSql(`create schema if not exists "platform";`);
    this.addSql(`create table "membership"."account_token" ("id" uuid not null, "member_id" uuid not null, "purpose" text not null, "token_hash" text not null, "new_email" text null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "membership"."account_token" add constraint "account_token_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "account_token_member_id_purpose_index" on "membership"."account_token" ("member_id", "purpose");`);

    this.addSql(`create table "membership"."invitation" ("id" uuid not null, "token_hash" text not null, "email" text not null, "status" text not null, "message" text null, "invited_by" uuid not null, "expires_at" timestamptz not null, "accepted_at" timestamptz null, "accepted_member_id" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "membership"."invitation" add constraint "invitation_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "invitation_created_at_index" on "membership"."invitation" ("created_at");`);

    this.addSql(`create table "platform"."mail_message" ("id" uuid not null, "key" text not null, "template" text not null, "locale" text not null, "to" text not null, "subject" text not null, "text" text not null, "html" text not null, "headers" jsonb null, "created_at" timestamptz not null, "sent_at" timestamptz null, "transport" text null, "attempts" int not null default 0, "last_error" text null, primary key ("id"));`);
    this.addSql(`alter table "platform"."mail_message" add constraint "mail_message_key_unique" unique ("key");`);
    this.addSql(`create index "mail_message_created_at_index" on "platform"."mail_message" ("created_at");`);

    this.addSql(`create table "membership"."member" ("id" uuid not null, "email" text not null, "password_hash" text null, "email_verified_at" timestamptz null, "status" text not null, "status_before_suspension" text null, "role" text not null, "locale" text null, "session_version" int not null, "joined_via" text not null, "applied_as" text null, "application_state" text null, "application_note" text null, "decided_at" timestamptz null, "decided_by" uuid null, "decline_reason" text null, "departed_on" date null, "suspended_at" timestamptz null, "suspension_reason" text null, "last_login_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "membership"."member" add constraint "member_email_unique" unique ("email");`);
    this.addSql(`create index "member_applications_idx" on "membership"."member" ("application_state", "created_at") where application_state is not null;`);
    this.addSql(`create index "member_status_created_at_index" on "membership"."member" ("status", "created_at");`);

    this.addSql(`create table "platform"."outbox" ("id" uuid not null, "queue" text not null, "name" text not null, "payload" jsonb not null, "job_id" text not null, "run_at" timestamptz null, "created_at" timestamptz not null, "relayed_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "outbox_pending_idx" on "platform"."outbox" ("created_at") where relayed_at is null;`);

    this.addSql(`create table "platform"."processed_job" ("key" text not null, "processed_at" timestamptz not null, primary key ("key"));`);

    this.addSql(`create table "membership"."profile" ("member_id" uuid not null, "family_name" text not null, "given_name" text not null, "family_name_kana" text not null, "given_name_kana" text not null, "romaji_name" text null, "birth_date" date null, "last_department" text null, "last_position" text null, "joined_year" int null, "left_year" int null, "contact_email" text null, "contact_phone" text null, "location" text null, "photo_key" text null, "career_at_company" jsonb not null, "current_company" text null, "current_industry" text null, "current_position" text null, "skills" jsonb not null, "qualifications" jsonb not null, "interests" jsonb not null, "bio" text null, "open_to_comeback" boolean not null, "open_to_offers" boolean not null, "open_to_side_work" boolean not null, "privacy" jsonb not null, "updated_at" timestamptz not null, primary key ("member_id"));`);
    this.addSql(`create index "profile_family_name_kana_given_name_kana_index" on "membership"."profile" ("family_name_kana", "given_name_kana");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "membership"."account_token" cascade;`);
    this.addSql(`drop table if exists "membership"."invitation" cascade;`);
    this.addSql(`drop table if exists "platform"."mail_message" cascade;`);
    this.addSql(`drop table if exists "membership"."member" cascade;`);
    this.addSql(`drop table if exists "platform"."outbox" cascade;`);
    this.addSql(`drop table if exists "platform"."processed_job" cascade;`);
    this.addSql(`drop table if exists "membership"."profile" cascade;`);

    this.addSql(`drop schema if exists "membership";`);
    this.addSql(`drop schema if exists "platform";`);
  }

}
