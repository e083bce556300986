import { Migration } from '@mikro-orm/migrations';

/**
 * Chat (Networking, second half): channels, direct messages and group chats, their members and reading state,
 * invitations and join requests, messages numbered per conversation, blocks and DM settings.
 */
export class Migration20261208010000_chat extends Migration {

  override name = 'Migration20261208010000_chat';

  override up(): void | Promise<void> {
    // One row per conversation of any kind. last_seq: the highest message number, taken (and the row locked) by the
    // statement that adds a message, so numbers are consecutive per conversation. Channels carry names in both
    // languages and an audience; groups their name in name_ja (name_search: folded, for the group list's filter);
    // DMs a dm_key (the two member ids, sorted and joined) that makes a second DM between the same two impossible.
    this.addSql(`create table "networking"."conversation" (
      "id" uuid not null primary key,
      "kind" text not null check ("kind" in ('channel', 'dm', 'group')),
      "name_ja" text not null default '', "name_en" text not null default '',
      "description_ja" text not null default '', "description_en" text not null default '',
      "name_search" text not null default '',
      "audience" text null check ("audience" in ('members', 'alumni', 'employees')),
      "listed" boolean not null default false,
      "archived_at" timestamptz null,
      "last_seq" int not null default 0,
      "last_message_at" timestamptz null,
      "member_count" int not null default 0,
      "dm_key" text null,
      "created_by" uuid null,
      "created_at" timestamptz not null default now(),
      constraint "conversation_dm_key_unique" unique ("dm_key"),
      constraint "conversation_channel_audience" check (("kind" = 'channel') = ("audience" is not null)),
      constraint "conversation_dm_has_key" check (("kind" = 'dm') = ("dm_key" is not null)));`);
    this.addSql(`create index "conversation_channel_idx" on "networking"."conversation" ("created_at", "id") where "kind" = 'channel';`);
    this.addSql(`create index "conversation_group_idx" on "networking"."conversation" ("last_message_at" desc nulls last) where "kind" = 'group' and "archived_at" is null;`);

    // last_read_seq only moves forward; sending a message moves the sender's to it, so a member's own messages are
    // never after their read position (the unread count relies on it).
    this.addSql(`create table "networking"."conversation_member" (
      "conversation_id" uuid not null references "networking"."conversation" ("id") on delete cascade,
      "member_id" uuid not null,
      "role" text not null default 'member' check ("role" in ('owner', 'member')),
      "joined_at" timestamptz not null default now(),
      "last_read_seq" int not null default 0,
      primary key ("conversation_id", "member_id"));`);
    this.addSql(`create index "conversation_member_member_idx" on "networking"."conversation_member" ("member_id", "conversation_id");`);
    this.addSql(`create unique index "conversation_member_owner_unique" on "networking"."conversation_member" ("conversation_id") where "role" = 'owner';`);

    // Group invitations (by the owner) and join requests (by a member): the latest per member and group.
    this.addSql(`create table "networking"."conversation_request" (
      "conversation_id" uuid not null references "networking"."conversation" ("id") on delete cascade,
      "member_id" uuid not null,
      "kind" text not null check ("kind" in ('invite', 'join')),
      "status" text not null check ("status" in ('pending', 'accepted', 'declined')),
      "message" text not null default '',
      "created_by" uuid not null,
      "created_at" timestamptz not null,
      "decided_at" timestamptz null,
      primary key ("conversation_id", "member_id"));`);
    this.addSql(`create index "conversation_request_member_idx" on "networking"."conversation_request" ("member_id") where "status" = 'pending';`);

    // Messages: (conversation_id, seq) is the paging index for after= and before=; (conversation_id, author_id,
    // client_id) makes a resend answer the first message. search_tokens: bigrams of the folded text (libs/search).
    this.addSql(`create table "networking"."chat_message" (
      "id" uuid not null primary key,
      "conversation_id" uuid not null references "networking"."conversation" ("id") on delete cascade,
      "seq" int not null,
      "author_id" uuid not null,
      "client_id" text not null,
      "body" text not null,
      "html" text not null,
      "mentions" uuid[] not null default '{}',
      "search_tokens" text[] not null,
      "search_text" text not null,
      "created_at" timestamptz not null,
      "edited_at" timestamptz null,
      "deleted_at" timestamptz null,
      "hidden_at" timestamptz null,
      "hidden_by" uuid null,
      "hidden_reason" text null check ("hidden_reason" in ('reports', 'moderator')),
      constraint "chat_message_seq_unique" unique ("conversation_id", "seq"),
      constraint "chat_message_client_unique" unique ("conversation_id", "author_id", "client_id"));`);
    this.addSql(`create index "chat_message_search_idx" on "networking"."chat_message" using gin ("search_tokens");`);
    this.addSql(`create index "chat_message_author_idx" on "networking"."chat_message" ("author_id", "created_at" desc);`);
    // The few deleted or hidden messages, which the unread count subtracts from last_seq - last_read_seq.
    this.addSql(`create index "chat_message_removed_idx" on "networking"."chat_message" ("conversation_id", "seq") where "deleted_at" is not null or "hidden_at" is not null;`);

    this.addSql(`create table "networking"."chat_message_image" (
      "image_id" text not null primary key,
      "message_id" uuid not null references "networking"."chat_message" ("id") on delete cascade,
      "conversation_id" uuid not null,
      "position" int not null,
      "width" int not null, "height" int not null);`);
    this.addSql(`create index "chat_message_image_message_idx" on "networking"."chat_message_image" ("message_id", "position");`);

    this.addSql(`create table "networking"."member_block" (
      "blocker_id" uuid not null,
      "blocked_id" uuid not null,
      "created_at" timestamptz not null default now(),
      primary key ("blocker_id", "blocked_id"));`);
    this.addSql(`create index "member_block_blocked_idx" on "networking"."member_block" ("blocked_id", "blocker_id");`);

    this.addSql(`create table "networking"."chat_setting" (
      "member_id" uuid not null primary key,
      "dm_policy" text not null default 'everyone' check ("dm_policy" in ('everyone', 'known', 'nobody')),
      "updated_at" timestamptz not null default now());`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "networking"."chat_setting";`);
    this.addSql(`drop table if exists "networking"."member_block";`);
    this.addSql(`drop table if exists "networking"."chat_message_image";`);
    this.addSql(`drop table if exists "networking"."chat_message";`);
    this.addSql(`drop table if exists "networking"."conversation_request";`);
    this.addSql(`drop table if exists "networking"."conversation_member";`);
    this.addSql(`drop table if exists "networking"."conversation";`);
  }

}
