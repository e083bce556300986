import { randomUUID } from 'node:crypto';
import { Logger, Optional } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { isCalendarDay } from '@libs/calendar/calendar-day';
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

/** A batch a flush took and has not finished this long after is taken again (its flusher is gone). */
export const VIEWS_TAKEN_STALE_MS = 60_000;
/** Where a flush holds the batch it took until the database has it: `<list>:taking:<taken at ms>:<flush id>`. */
const takingKey = (key: string, at: number) => `${key}:taking:${at}:${randomUUID()}`;

/** Moves up to ARGV[1] views from the head of KEYS[1] to KEYS[2] in one step, and answers them. */
const TAKE_SCRIPT = `
local items = redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
if #items > 0 then
  redis.call('LTRIM', KEYS[1], #items, -1)
  for i = 1, #items, 1000 do
    redis.call('RPUSH', KEYS[2], unpack(items, i, math.min(i + 999, #items)))
  end
end
return items`;

/**
 * Counts the recorded views in batches and inserts those of published items with ON CONFLICT DO NOTHING (an author
 * looking at their draft is not a reader): the key (item, day, viewer) makes a view counted once however often it is
 * recorded or flushed; only the rows inserted add to `view_count`, in the same statement. A batch is moved in one
 * step to a list of its own (`…:taking:…`) and deleted only once the database has it, so a worker that dies in
 * between loses nothing: the next flush takes such a batch again after VIEWS_TAKEN_STALE_MS, and the key makes the
 * second insert count nothing twice.
 */
@CommandHandler(FlushContentViewsCommand)
export class FlushContentViewsHandler implements ICommandHandler<FlushContentViewsCommand> {
  constructor(
    private readonly em: EntityManager,
    @Optional() private readonly redis?: RedisConnections,
  ) {}

  async execute(): Promise<{ read: number; counted: number }> {
    if (!this.redis) return { read: 0, counted: 0 };
    const client = this.redis.client;
    const key = contentViewsKey(this.redis.prefix);
    let read = 0;
    let counted = 0;
    // Batches an earlier flush took and did not finish.
    for (const stale of await this.staleBatches(key)) {
      const raw = await client.lrange(stale, 0, -1);
      read += raw.length;
      counted += await this.count(raw);
      await client.del(stale);
    }
    for (;;) {
      const batch = takingKey(key, Date.now());
      const raw = (await client.eval(TAKE_SCRIPT, 2, key, batch, VIEWS_BATCH)) as string[];
      if (raw.length === 0) break;
      read += raw.length;
      counted += await this.count(raw);
      await client.del(batch);
      if (raw.length < VIEWS_BATCH) break;
    }
    return { read, counted };
  }

  private async staleBatches(key: string): Promise<string[]> {
    const out: string[] = [];
    const before = Date.now() - VIEWS_TAKEN_STALE_MS;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis!.client.scan(cursor, 'MATCH', `${key}:taking:*`, 'COUNT', 200);
      cursor = next;
      for (const k of keys) {
        const at = Number(k.slice(key.length + ':taking:'.length).split(':')[0]);
        if (Number.isFinite(at) && at < before) out.push(k);
      }
    } while (cursor !== '0');
    return out;
  }

  /** Inserts one batch's views; answers how many were new. */
  private async count(raw: string[]): Promise<number> {
    const views = new Map<string, RecordedView>();
    for (const entry of raw) {
      try {
        const v = JSON.parse(entry) as RecordedView;
        if (isUuid(v.c) && typeof v.v === 'string' && v.v && isCalendarDay(v.d)) views.set(`${v.c}|${v.d}|${v.v}`, v);
      } catch {
        // Not a view, or a day that does not exist (its cast would fail the whole batch at every run): dropped.
      }
    }
    if (views.size === 0) return 0;
    const list = [...views.values()];
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
    return Number(row.n);
  }
}
