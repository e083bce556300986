import { Migration } from '@mikro-orm/migrations';

export class Migration20261124064948_roster_and_privacy extends Migration {

  override name = 'Migration20261124064948_roster_and_privacy';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "privacy";`);
    this.addSql(`create table "privacy"."audit_event" ("id" uuid not null, "occurred_at" timestamptz not null, "actor_id" uuid not null, "actor_name" text not null, "action" text not null, "subject_id" uuid null, "subject_name" text null, "fields" text[] not null, "detail" jsonb not null, "request_id" text null, primary key ("id"));`);
    this.addSql(`create index "audit_event_action_idx" on "privacy"."audit_event" ("action", "occurred_at");`);
    this.addSql(`create index "audit_event_subject_idx" on "privacy"."audit_event" ("subject_id", "occurred_at");`);
    this.addSql(`create index "audit_event_actor_idx" on "privacy"."audit_event" ("actor_id", "occurred_at");`);
    this.addSql(`create index "audit_event_time_idx" on "privacy"."audit_event" ("occurred_at", "id");`);

    this.addSql(`create table "privacy"."consent_record" ("id" uuid not null, "member_id" uuid not null, "purpose" text not null, "granted" boolean not null, "text_version" text not null, "text_locale" text not null, "text" text not null, "source" text not null, "recorded_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "consent_record_member_purpose_idx" on "privacy"."consent_record" ("member_id", "purpose", "recorded_at");`);

    this.addSql(`create table "privacy"."data_export" ("id" uuid not null, "member_id" uuid not null, "state" text not null default 'requested', "requested_at" timestamptz not null, "ready_at" timestamptz null, "expires_at" timestamptz null, "content" jsonb null, "size_bytes" int null, "downloaded_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "data_export_member_id_requested_at_index" on "privacy"."data_export" ("member_id", "requested_at");`);

    this.addSql(`create table "membership"."roster_entry" ("employee_number" text not null, "member_id" uuid null, "invitation_id" uuid null, "email" text not null, "family_name" text not null, "given_name" text not null, "family_name_kana" text null, "given_name_kana" text null, "department" text null, "position" text null, "hired_on" date null, "left_on" date null, "last_import_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("employee_number"));`);
    this.addSql(`alter table "membership"."roster_entry" add constraint "roster_entry_member_id_unique" unique ("member_id");`);
    this.addSql(`create index "roster_entry_email_index" on "membership"."roster_entry" ("email");`);

    this.addSql(`create table "membership"."roster_import" ("id" uuid not null, "uploaded_by" uuid not null, "file_name" text not null, "file_size" int not null, "encoding" text null, "state" text not null, "rows" jsonb not null, "issues" jsonb not null, "planned" jsonb not null, "changes" jsonb not null, "applied" jsonb null, "total_rows" int not null, "processed_rows" int not null, "failure_reason" text null, "created_at" timestamptz not null, "confirmed_at" timestamptz null, "confirmed_by" uuid null, "started_at" timestamptz null, "finished_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "roster_import_created_at_index" on "membership"."roster_import" ("created_at");`);

    this.addSql(`alter table "membership"."member" add "deleted_at" timestamptz null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "privacy"."audit_event" cascade;`);
    this.addSql(`drop table if exists "privacy"."consent_record" cascade;`);
    this.addSql(`drop table if exists "privacy"."data_export" cascade;`);
    this.addSql(`drop table if exists "membership"."roster_entry" cascade;`);
    this.addSql(`drop table if exists "membership"."roster_import" cascade;`);

    this.addSql(`alter table "membership"."member" drop column "deleted_at";`);

    this.addSql(`drop schema if exists "privacy";`);
  }

}
