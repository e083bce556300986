import { Migration } from '@mikro-orm/migrations';

/**
 * The forum (Networking: boards, threads, posts, reactions, reading state, watching) and the moderation queue
 * that every module's reports go to.
 */
export class Migration20261207010000_forum_and_moderation extends Migration {

  override name = 'Migration20261207010000_forum_and_moderation';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "networking";`);
    this.addSql(`create schema if not exists "moderation";`);

    this.addSql(`create table "networking"."board" (
      "id" uuid not null primary key,
      "name_ja" text not null, "name_en" text not null default '',
      "description_ja" text not null default '', "description_en" text not null default '',
      "visibility" text not null check ("visibility" in ('members', 'alumni', 'employees', 'operators')),
      "public_readable" boolean not null default false,
      "thread_starters" text not null check ("thread_starters" in ('members', 'operators')),
      "position" int not null default 0,
      "archived_at" timestamptz null,
      "thread_count" int not null default 0,
      "post_count" int not null default 0,
      "last_post_at" timestamptz null,
      "last_thread_id" uuid null,
      "created_at" timestamptz not null default now());`);

    // last_number: the highest post number in the thread, taken (and the row locked) by the statement that adds a post.
    this.addSql(`create table "networking"."thread" (
      "id" uuid not null primary key,
      "board_id" uuid not null references "networking"."board" ("id"),
      "title" text not null,
      "author_id" uuid not null,
      "last_number" int not null default 0,
      "post_count" int not null default 0,
      "last_post_at" timestamptz not null,
      "last_post_author_id" uuid null,
      "pinned" text null check ("pinned" in ('board', 'site')),
      "locked_at" timestamptz null,
      "hidden_at" timestamptz null,
      "created_at" timestamptz not null);`);
    this.addSql(`create index "thread_board_activity_idx" on "networking"."thread" ("board_id", "last_post_at" desc, "id");`);
    this.addSql(`create index "thread_board_created_idx" on "networking"."thread" ("board_id", "created_at" desc);`);
    this.addSql(`create index "thread_activity_idx" on "networking"."thread" ("last_post_at" desc, "id");`);
    this.addSql(`create index "thread_created_idx" on "networking"."thread" ("created_at" desc);`);
    this.addSql(`create index "thread_pinned_idx" on "networking"."thread" ("pinned") where "pinned" is not null;`);

    // search_tokens: the bigrams of the folded title (first post) and body (libs/search); search_text for the recheck.
    this.addSql(`create table "networking"."post" (
      "id" uuid not null primary key,
      "thread_id" uuid not null references "networking"."thread" ("id"),
      "board_id" uuid not null,
      "number" int not null,
      "author_id" uuid not null,
      "body" text not null,
      "html" text not null,
      "quote_post_id" uuid null,
      "mentions" uuid[] not null default '{}',
      "reactions" jsonb not null default '{}',
      "created_at" timestamptz not null,
      "edited_at" timestamptz null,
      "deleted_at" timestamptz null,
      "hidden_at" timestamptz null,
      "hidden_reason" text null check ("hidden_reason" in ('reports', 'moderator')),
      "search_tokens" text[] not null,
      "search_text" text not null,
      constraint "post_thread_number_unique" unique ("thread_id", "number"));`);
    this.addSql(`create index "post_search_idx" on "networking"."post" using gin ("search_tokens");`);
    this.addSql(`create index "post_author_idx" on "networking"."post" ("author_id", "created_at" desc);`);
    this.addSql(`create index "post_board_created_idx" on "networking"."post" ("board_id", "created_at" desc);`);
    // Search walks the newest posts first: for a common word the first page is found after a few hundred rows.
    this.addSql(`create index "post_created_idx" on "networking"."post" ("created_at" desc, "id" desc);`);

    this.addSql(`create table "networking"."post_revision" (
      "id" uuid not null primary key,
      "post_id" uuid not null references "networking"."post" ("id"),
      "body" text not null,
      "written_by" uuid not null,
      "written_at" timestamptz not null,
      "replaced_at" timestamptz not null);`);
    this.addSql(`create index "post_revision_post_idx" on "networking"."post_revision" ("post_id", "replaced_at");`);

    this.addSql(`create table "networking"."post_image" (
      "image_id" text not null primary key,
      "post_id" uuid not null references "networking"."post" ("id"),
      "board_id" uuid not null,
      "position" int not null,
      "width" int not null, "height" int not null);`);
    this.addSql(`create index "post_image_post_idx" on "networking"."post_image" ("post_id", "position");`);

    this.addSql(`create table "networking"."reaction" (
      "post_id" uuid not null references "networking"."post" ("id"),
      "member_id" uuid not null,
      "kind" text not null,
      "created_at" timestamptz not null default now(),
      primary key ("post_id", "member_id", "kind"));`);

    // Reading state: the last post number read (only moves forward), and the per-board "marked read at" watermark.
    this.addSql(`create table "networking"."thread_read" ("member_id" uuid not null, "thread_id" uuid not null, "last_read_number" int not null, primary key ("member_id", "thread_id"));`);
    this.addSql(`create table "networking"."board_read" ("member_id" uuid not null, "board_id" uuid not null, "marked_read_at" timestamptz not null, primary key ("member_id", "board_id"));`);
    this.addSql(`create table "networking"."forum_visit" ("member_id" uuid not null primary key, "first_visit_at" timestamptz not null, "last_visit_at" timestamptz not null, "previous_visit_at" timestamptz not null);`);
    this.addSql(`create table "networking"."thread_watch" ("member_id" uuid not null, "thread_id" uuid not null, "level" text not null check ("level" in ('watching', 'muted')), primary key ("member_id", "thread_id"));`);
    this.addSql(`create index "thread_watch_thread_idx" on "networking"."thread_watch" ("thread_id", "level");`);
    this.addSql(`create table "networking"."board_watch" ("member_id" uuid not null, "board_id" uuid not null, "level" text not null check ("level" in ('watching', 'muted')), primary key ("member_id", "board_id"));`);
    this.addSql(`create index "board_watch_board_idx" on "networking"."board_watch" ("board_id", "level");`);

    // Batched jobs (reactions in a window) look for a pending outbox row of their job id before writing one.
    this.addSql(`create index if not exists "outbox_pending_job_idx" on "platform"."outbox" ("job_id") where relayed_at is null;`);

    // The moderation queue: reports on anything a module lets members report, and the decisions on them.
    this.addSql(`create table "moderation"."decision" (
      "id" uuid not null primary key,
      "subject_type" text not null, "subject_id" text not null, "subject_author_id" uuid null,
      "decision" text not null check ("decision" in ('hide', 'keep', 'dismiss')),
      "note" text not null default '',
      "decided_by" uuid not null, "decided_by_name" text not null,
      "decided_at" timestamptz not null);`);
    this.addSql(`create index "decision_subject_idx" on "moderation"."decision" ("subject_type", "subject_id", "decided_at");`);
    this.addSql(`create index "decision_author_idx" on "moderation"."decision" ("subject_author_id", "decided_at");`);
    this.addSql(`create table "moderation"."report" (
      "id" uuid not null primary key,
      "subject_type" text not null, "subject_id" text not null, "subject_author_id" uuid null,
      "excerpt" text not null, "link" text not null,
      "reporter_id" uuid not null,
      "reason" text not null,
      "created_at" timestamptz not null,
      "decision_id" uuid null references "moderation"."decision" ("id"));`);
    // One open report per member and subject; after a decision the same member may report it again.
    this.addSql(`create unique index "report_open_unique" on "moderation"."report" ("subject_type", "subject_id", "reporter_id") where "decision_id" is null;`);
    this.addSql(`create index "report_open_idx" on "moderation"."report" ("created_at") where "decision_id" is null;`);
    this.addSql(`create index "report_subject_idx" on "moderation"."report" ("subject_type", "subject_id");`);
    this.addSql(`create index "report_author_idx" on "moderation"."report" ("subject_author_id", "created_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index if exists "platform"."outbox_pending_job_idx";`);
    this.addSql(`drop schema if exists "moderation" cascade;`);
    this.addSql(`drop schema if exists "networking" cascade;`);
  }

}
