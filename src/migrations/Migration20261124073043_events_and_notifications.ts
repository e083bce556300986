import { Migration } from '@mikro-orm/migrations';

export class Migration20261124073043_events_and_notifications extends Migration {

  override name = 'Migration20261124073043_events_and_notifications';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "events";`);
    this.addSql(`create schema if not exists "notifications";`);
    // Order of arrival of registrations: the waitlist is served in this order.
    this.addSql(`create sequence if not exists "events"."registration_seq";`);
    this.addSql(`create table "events"."calendar_feed" ("member_id" uuid not null, "token_hash" text not null, "created_at" timestamptz not null, "last_used_at" timestamptz null, primary key ("member_id"));`);
    this.addSql(`alter table "events"."calendar_feed" add constraint "calendar_feed_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "events"."event" ("id" uuid not null, "title" text not null, "category" text not null, "format" text not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "time_zone" text not null, "place" text null, "online_url" text null, "fee_yen" int not null, "payment_note" text null, "capacity" int null, "deadline_at" timestamptz null, "description" text not null, "notes" text null, "visibility" text not null, "max_companions" int not null, "organiser_name" text not null, "created_by" uuid not null, "state" text not null, "published_at" timestamptz null, "cancelled_at" timestamptz null, "cancel_reason" text null, "confirmed_seats" int not null, "waitlist_count" int not null, "search_text" text not null, "search_tokens" text[] not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "event_search_idx" on "events"."event" using gin ("search_tokens");`);
    this.addSql(`create index "event_published_idx" on "events"."event" ("published_at");`);
    this.addSql(`create index "event_listing_idx" on "events"."event" ("state", "starts_at", "id");`);

    this.addSql(`create table "notifications"."notification" ("id" uuid not null, "member_id" uuid not null, "kind" text not null, "params" jsonb not null, "link" text null, "dedupe_key" text not null, "created_at" timestamptz not null, "read_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "notifications"."notification" add constraint "notification_dedupe_key_unique" unique ("dedupe_key");`);
    this.addSql(`create index "notification_member_idx" on "notifications"."notification" ("member_id", "created_at", "id");`);
    this.addSql(`create index "notification_unread_idx" on "notifications"."notification" ("member_id", "created_at") where read_at is null;`);

    this.addSql(`create table "events"."registration" ("id" uuid not null, "event_id" uuid not null, "member_id" uuid not null, "state" text not null, "companions" int not null, "seq" bigint not null, "registered_at" timestamptz not null, "confirmed_at" timestamptz null, "promoted_at" timestamptz null, "cancelled_at" timestamptz null, "checked_in_at" timestamptz null, "checked_in_by" uuid null, primary key ("id"));`);
    this.addSql(`create index "registration_member_idx" on "events"."registration" ("member_id", "state");`);
    this.addSql(`create index "registration_waitlist_idx" on "events"."registration" ("event_id", "state", "seq");`);
    this.addSql(`alter table "events"."registration" add constraint "registration_event_id_member_id_unique" unique ("event_id", "member_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "events"."calendar_feed" cascade;`);
    this.addSql(`drop table if exists "events"."event" cascade;`);
    this.addSql(`drop table if exists "notifications"."notification" cascade;`);
    this.addSql(`drop table if exists "events"."registration" cascade;`);
    this.addSql(`drop sequence if exists "events"."registration_seq";`);

    this.addSql(`drop schema if exists "events";`);
    this.addSql(`drop schema if exists "notifications";`);
  }

}
