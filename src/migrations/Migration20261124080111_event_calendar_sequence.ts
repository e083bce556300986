import { Migration } from '@mikro-orm/migrations';

export class Migration20261124080111_event_calendar_sequence extends Migration {

  override name = 'Migration20261124080111_event_calendar_sequence';

  override up(): void | Promise<void> {
    this.addSql(`alter table "events"."event" add "calendar_sequence" int not null default 0;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "events"."event" drop column "calendar_sequence";`);
  }

}
