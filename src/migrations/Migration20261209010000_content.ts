import { Migration } from '@mikro-orm/migrations';

/**
 * Content: articles of four types with their versions (every save kept, who changed what), a pending revision of a
 * published item, images, likes, comments with one level of replies, and views per item, viewer and day.
 */
export class Migration20261209010000_content extends Migration {

  override name = 'Migration20261209010000_content';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "content";`);

    // One row per item. working_version_id: what the editor edits while the item is not online; published_version_id:
    // what readers see; revision_version_id: a pending revision of a published item (revision_status says where it
    // is in review). The columns from type to search_text copy the version shown in lists — the published one once
    // the item has been online, else the working one — so that lists, search, feed and sitemap read this table only.
    // search_tokens: bigrams of the folded title, summary and body (libs/search); search_text for the recheck.
    this.addSql(`create table "content"."item" (
      "id" uuid not null primary key,
      "author_id" uuid null,
      "status" text not null check ("status" in ('draft', 'submitted', 'returned', 'declined', 'scheduled', 'published', 'unpublished')),
      "revision_status" text null check ("revision_status" in ('draft', 'submitted', 'returned')),
      "working_version_id" uuid null,
      "published_version_id" uuid null,
      "revision_version_id" uuid null,
      "type" text not null check ("type" in ('news', 'industry', 'column', 'event-report')),
      "visibility" text not null check ("visibility" in ('public', 'members', 'alumni', 'employees')),
      "language" text not null check ("language" in ('ja', 'en')),
      "title" text not null,
      "summary" text not null default '',
      "tags" text[] not null default '{}',
      "tag_keys" text[] not null default '{}',
      "cover_image_id" text null,
      "cover_alt" text not null default '',
      "event_id" uuid null,
      "reading_minutes" int not null default 1,
      "search_tokens" text[] not null default '{}',
      "search_text" text not null default '',
      "review_comment" text null,
      "scheduled_at" timestamptz null,
      "published_at" timestamptz null,
      "first_published_at" timestamptz null,
      "featured_at" timestamptz null,
      "like_count" int not null default 0,
      "comment_count" int not null default 0,
      "view_count" int not null default 0,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now());`);
    this.addSql(`create index "item_published_idx" on "content"."item" ("published_at" desc, "id" desc) where "status" = 'published';`);
    this.addSql(`create index "item_type_published_idx" on "content"."item" ("type", "published_at" desc, "id" desc) where "status" = 'published';`);
    this.addSql(`create index "item_search_idx" on "content"."item" using gin ("search_tokens") where "status" = 'published';`);
    this.addSql(`create index "item_tags_idx" on "content"."item" using gin ("tag_keys") where "status" = 'published';`);
    this.addSql(`create index "item_author_idx" on "content"."item" ("author_id", "updated_at" desc);`);
    this.addSql(`create index "item_review_idx" on "content"."item" ("updated_at") where "status" in ('submitted', 'scheduled') or "revision_status" = 'submitted';`);
    this.addSql(`create index "item_event_idx" on "content"."item" ("event_id") where "event_id" is not null;`);
    this.addSql(`create index "item_featured_idx" on "content"."item" ("featured_at" desc) where "featured_at" is not null;`);

    // Every saved version, numbered per item. action: what made it (create, edit, publish, return …); changed: the
    // fields that differ from the version before; autosave: written by the editor by itself (merged per minute).
    this.addSql(`create table "content"."version" (
      "id" uuid not null primary key,
      "item_id" uuid not null references "content"."item" ("id") on delete cascade,
      "seq" int not null,
      "action" text not null,
      "by_id" uuid null,
      "by_name" text not null,
      "at" timestamptz not null,
      "changed" text[] not null default '{}',
      "comment" text null,
      "autosave" boolean not null default false,
      "type" text not null,
      "visibility" text not null,
      "language" text not null,
      "title" text not null,
      "summary" text not null default '',
      "body" text not null default '',
      "html" text not null default '',
      "tags" text[] not null default '{}',
      "event_id" uuid null,
      "cover_image_id" text null,
      "cover_alt" text not null default '',
      constraint "version_item_seq_unique" unique ("item_id", "seq"));`);

    // Images of an item (its cover and pictures in its body), served with the item's visibility.
    this.addSql(`create table "content"."image" (
      "image_id" text not null primary key,
      "item_id" uuid not null references "content"."item" ("id") on delete cascade,
      "purpose" text not null check ("purpose" in ('cover', 'body')),
      "width" int not null, "height" int not null,
      "uploaded_by" uuid not null,
      "created_at" timestamptz not null default now());`);
    this.addSql(`create index "image_item_idx" on "content"."image" ("item_id");`);

    this.addSql(`create table "content"."like" (
      "item_id" uuid not null references "content"."item" ("id") on delete cascade,
      "member_id" uuid not null,
      "created_at" timestamptz not null default now(),
      primary key ("item_id", "member_id"));`);
    this.addSql(`create index "like_created_idx" on "content"."like" ("item_id", "created_at");`);

    this.addSql(`create table "content"."comment" (
      "id" uuid not null primary key,
      "item_id" uuid not null references "content"."item" ("id") on delete cascade,
      "parent_id" uuid null references "content"."comment" ("id"),
      "author_id" uuid not null,
      "body" text not null,
      "html" text not null,
      "created_at" timestamptz not null,
      "deleted_at" timestamptz null,
      "hidden_at" timestamptz null,
      "hidden_reason" text null check ("hidden_reason" in ('reports', 'moderator')));`);
    this.addSql(`create index "comment_item_idx" on "content"."comment" ("item_id", "created_at", "id") where "parent_id" is null;`);
    this.addSql(`create index "comment_parent_idx" on "content"."comment" ("parent_id", "created_at") where "parent_id" is not null;`);
    this.addSql(`create index "comment_created_idx" on "content"."comment" ("created_at");`);

    // One view per item, viewer and day (Asia/Tokyo): the key that makes counting idempotent.
    this.addSql(`create table "content"."view" (
      "item_id" uuid not null references "content"."item" ("id") on delete cascade,
      "day" date not null,
      "viewer_key" text not null,
      primary key ("item_id", "day", "viewer_key"));`);
    this.addSql(`create index "view_day_idx" on "content"."view" ("day");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop schema if exists "content" cascade;`);
  }

}
