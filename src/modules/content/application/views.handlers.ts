import { Logger, Optional } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { zonedDate } from '@libs/calendar/zoned-time';
import { arrayLiteral } from '@libs/database/array-literal';
import { isUuid } from '@libs/ddd/ids';
import { RedisConnections } from '@libs/queue/redis-connections';
import { RecordContentViewCommand } from '../contracts';

/** The Redis list page views wait in until the worker counts them. */
export const contentViewsKey = (prefix: string) => `${prefix}:content:views`;
/** Views moved per statement. */
export const VIEWS_BATCH = 500;
const VIEWER_KEY_MAX = 200;

interface RecordedView {
  /** Item id. */
  c: string;
  /** Viewer key. */
  v: string;
  /** Day (YYYY-MM-DD, Asia/Tokyo). */
  d: string;
}

/**
 * The page's part of counting a view: one RPUSH to Redis, nothing in the database. A Redis that does not answer
 * costs the page nothing but the view.
 */
@CommandHandler(RecordContentViewCommand)
export class RecordContentViewHandler implements ICommandHandler<RecordContentViewCommand> {
  private readonly logger = new Logger(RecordContentViewHandler.name);

  constructor(@Optional() private readonly redis?: RedisConnections) {}

  async execute({ contentId, viewerKey }: RecordContentViewCommand): Promise<void> {
    if (!this.redis || !isUuid(contentId) || typeof viewerKey !== 'string' || !viewerKey || viewerKey.length > VIEWER_KEY_MAX) return;
    const view: RecordedView = { c: contentId, v: viewerKey, d: zonedDate(new Date(), 'Asia/Tokyo') };
    await this.redis.client.rpush(contentViewsKey(this.redis.prefix), JSON.stringify(view)).catch((e: unknown) => this.logger.debug(`view not recorded: ${(e as Error).message}`));
  }
}

/** Moves the recorded views into content.view and the items' counts (the worker's `flush-views`, and tests). */
export class FlushContentViewsCommand extends Command<{ read: number; counted: number }> {
  constructor() {
    super();
  }
}

/**
 * Pops the recorded views in batches and inserts those of published items with ON CONFLICT DO NOTHING (an author
 * looking at their draft is not a reader): the key (item, day, viewer) makes
 * a view counted once however often it is recorded or flushed; only the rows inserted add to `view_count`, in the
 * same statement. A batch whose statement fails is pushed back for the next run.
 */
@CommandHandler(FlushContentViewsCommand)
export class FlushContentViewsHandler implements ICommandHandler<FlushContentViewsCommand> {
  constructor(
    private readonly em: EntityManager,
    @Optional() private readonly redis?: RedisConnections,
  ) {}

  async execute(): Promise<{ read: number; counted: number }> {
    if (!this.redis) return { read: 0, counted: 0 };
    const key = contentViewsKey(this.redis.prefix);
    let read = 0;
    let counted = 0;
    for (;;) {
      const raw = ((await this.redis.client.lpop(key, VIEWS_BATCH)) as string[] | null) ?? [];
      if (raw.length === 0) break;
      read += raw.length;
      const views = new Map<string, RecordedView>();
      for (const entry of raw) {
        try {
          const v = JSON.parse(entry) as RecordedView;
          if (isUuid(v.c) && typeof v.v === 'string' && v.v && /^\d{4}-\d{2}-\d{2}$/.test(v.d)) views.set(`${v.c}|${v.d}|${v.v}`, v);
        } catch {
          // Not a view: dropped.
        }
      }
      if (views.size === 0) continue;
      const list = [...views.values()];
      try {
        const [row] = await this.em.fork().execute<{ n: string }[]>(
          `with input as (
             select * from unnest(?::uuid[], ?::date[], ?::text[]) as t(item_id, day, viewer_key)
           ), ins as (
             insert into content.view (item_id, day, viewer_key)
             select t.item_id, t.day, t.viewer_key from input t join content.item i on i.id = t.item_id and i.status = 'published'
             on conflict do nothing returning item_id
           ), counts as (
             select item_id, count(*) as n from ins group by item_id
           ), upd as (
             update content.item i set view_count = i.view_count + c.n from counts c where i.id = c.item_id returning 1
           )
           select (select count(*) from ins) as n, (select count(*) from upd) as items`,
          [arrayLiteral(list.map((v) => v.c)), arrayLiteral(list.map((v) => v.d)), arrayLiteral(list.map((v) => v.v))],
        );
        counted += Number(row.n);
      } catch (e) {
        await this.redis.client.rpush(key, ...raw).catch(() => undefined);
        throw e;
      }
      if (raw.length < VIEWS_BATCH) break;
    }
    return { read, counted };
  }
}
