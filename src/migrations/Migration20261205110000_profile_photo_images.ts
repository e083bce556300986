import { Migration } from '@mikro-orm/migrations';

/**
 * Images (libs/images): `platform.pending_image` holds images stored but not yet referred to by a committed change.
 * Profile photos move to the image pipeline. `photo_key` (a file stored as uploaded, EXIF and all)
 * becomes `legacy_photo_key`, which is never served; `photo_id` names the re-encoded image. The outbox row queues the
 * one-off job that re-encodes every legacy photo (membership-photos / reencode-legacy-photos); the job is idempotent
 * and the worker queues it again at start while legacy photos remain.
 */
export class Migration20261205110000_profile_photo_images extends Migration {

  override name = 'Migration20261205110000_profile_photo_images';

  override up(): void | Promise<void> {
    this.addSql(`create table "platform"."pending_image" ("image_id" text not null, "purpose" text not null, "created_at" timestamptz not null, primary key ("image_id"));`);
    this.addSql(`create index "pending_image_created_at_index" on "platform"."pending_image" ("created_at");`);
    this.addSql(`alter table "membership"."profile" rename column "photo_key" to "legacy_photo_key";`);
    this.addSql(`alter table "membership"."profile" add "photo_id" text null;`);
    this.addSql(`alter table "membership"."profile" alter column "photo_id" set storage main;`);
    this.addSql(`insert into "platform"."outbox" ("id", "queue", "name", "payload", "job_id", "created_at")
      select gen_random_uuid(), 'membership-photos', 'reencode-legacy-photos', '{}'::jsonb, 'reencode-legacy-photos', now()
       where exists (select 1 from "membership"."profile" where "legacy_photo_key" is not null);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "membership"."profile" drop column "photo_id";`);
    this.addSql(`alter table "membership"."profile" rename column "legacy_photo_key" to "photo_key";`);
    this.addSql(`drop table if exists "platform"."pending_image";`);
  }

}
