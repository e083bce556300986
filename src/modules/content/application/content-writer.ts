import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral } from '@libs/database/array-literal';
import { DomainError } from '@libs/ddd';
import { isUuid } from '@libs/ddd/ids';
import { integrationEvent, Outbox } from '@libs/outbox';
import type { Viewer } from '@libs/security/access-policy';
import { GetEventQuery } from '@modules/events/contracts';
import { RecordAuditEventCommand } from '@modules/privacy/contracts';
import {
  CONTENT_QUEUES,
  ContentEvents,
  type ContentAction,
  type ContentPublishedEvent,
  type ContentReviewedEvent,
} from '../contracts';
import { contentSearchKeys, readingMinutes, renderContentBody, tagKey, type ContentFields } from '../domain/content-input';
import { transition, type TransitionOptions, type WorkflowActor, type WorkflowOutcome } from '../domain/content-workflow';
import { ContentFieldError, ContentForbiddenError, ContentNotFoundError, ContentTransitionError } from '../domain/content.errors';
import { PUBLISH_SCHEDULED_JOB, publishJobId, type PublishScheduledPayload } from '../jobs/content-jobs';
import { actorOf, canRead, ContentStore, type ItemRow, type VersionRow } from './content-store';

/** Actions only operators take; actions only the author takes. */
const OPERATOR_ACTIONS = new Set<ContentAction>(['publish', 'schedule', 'return', 'decline']);
const AUTHOR_ACTIONS = new Set<ContentAction>(['submit', 'withdraw']);

/** Who wrote a version: a member, or nobody (a scheduled publication keeps the name of who scheduled it). */
export interface VersionAuthor {
  id: string | null;
  name: string;
}

export const byViewer = (viewer: Viewer): VersionAuthor => ({ id: viewer.memberId, name: viewer.displayName });

/** An autosave by the same person within this long of their previous autosave updates it instead of adding one. */
export const AUTOSAVE_MERGE_MS = 60_000;

/**
 * The writing side shared by the workflow's commands: the state machine's verdict with the right error, versions,
 * the item's copy of the version shown in lists, the scheduled-publication job and the integration events.
 */
@Injectable()
export class ContentWriter {
  constructor(
    readonly store: ContentStore,
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
  ) {}

  /** Runs `work` in one transaction with the item's row locked; the item must be readable by the viewer. */
  async withItem<R>(viewer: Viewer | null, contentId: string, work: (tx: EntityManager, item: ItemRow, actor: WorkflowActor) => Promise<R>): Promise<R> {
    return this.store.em.fork().transactional(async (tx) => {
      const item = await ContentStore.lock(tx, contentId);
      if (!item || !canRead(viewer, item)) throw new ContentNotFoundError();
      return work(tx, item, actorOf(viewer, item));
    });
  }

  /**
   * The state machine's answer, or the error a person understands: 403 when this viewer may never do it (a member
   * publishing, someone else's item), 409 when the item's state does not allow it now.
   */
  static decide(item: ItemRow, action: ContentAction, actor: WorkflowActor, options: TransitionOptions = {}): WorkflowOutcome {
    try {
      return transition({ status: item.status, revisionStatus: item.revision_status, everPublished: item.first_published_at !== null }, action, actor, options);
    } catch (e) {
      if (!(e instanceof ContentTransitionError)) throw e;
      if (!actor.isAuthor && !actor.isOperator) throw new ContentForbiddenError('notYours');
      if (OPERATOR_ACTIONS.has(action) && !actor.isOperator) throw new ContentForbiddenError('operatorsOnly');
      if (AUTHOR_ACTIONS.has(action) && !actor.isAuthor) throw new ContentForbiddenError('authorOnly');
      throw e;
    }
  }

  /** An event report's event: one the author may see, that has ended. */
  async checkEvent(viewer: Viewer, fields: ContentFields): Promise<void> {
    if (fields.type !== 'event-report' || !fields.eventId) return;
    if (!isUuid(fields.eventId)) throw new ContentFieldError('eventId', 'eventNotFound');
    let ended: boolean;
    try {
      ended = (await this.queries.execute(new GetEventQuery(viewer, fields.eventId))).ended;
    } catch (e) {
      if (e instanceof DomainError && e.status === 404) throw new ContentFieldError('eventId', 'eventNotFound');
      throw e;
    }
    if (!ended) throw new ContentFieldError('eventId', 'eventNotPast');
  }

  /** A cover must be a cover image uploaded for this item. */
  static async checkCover(tx: EntityManager, itemId: string, fields: ContentFields): Promise<void> {
    if (!fields.coverImageId) return;
    const [row] = await tx.execute<unknown[]>(`select 1 from content.image where image_id = ? and item_id = ? and purpose = 'cover'`, [fields.coverImageId, itemId]);
    if (!row) throw new ContentFieldError('coverImageId', 'notCover');
  }

  /** Writes a new version (numbered after the item's last one); answers its id. */
  static async addVersion(
    tx: EntityManager,
    itemId: string,
    fields: ContentFields,
    meta: { action: ContentAction; by: VersionAuthor; changed?: string[]; comment?: string | null; autosave?: boolean; html?: string },
  ): Promise<string> {
    const id = randomUUID();
    await tx.execute(
      `insert into content.version (id, item_id, seq, action, by_id, by_name, at, changed, comment, autosave, type, visibility, language, title, summary, body, html, tags, event_id, cover_image_id, cover_alt)
       select ?, ?, coalesce(max(seq), 0) + 1, ?, ?, ?, clock_timestamp(), ?::text[], ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?, ? from content.version where item_id = ?`,
      [
        id,
        itemId,
        meta.action,
        meta.by.id,
        meta.by.name,
        arrayLiteral(meta.changed ?? []),
        meta.comment ?? null,
        meta.autosave ?? false,
        fields.type,
        fields.visibility,
        fields.language,
        fields.title,
        fields.summary,
        fields.body,
        meta.html ?? renderContentBody(fields.body),
        arrayLiteral(fields.tags),
        fields.eventId,
        fields.coverImageId,
        fields.coverAlt,
        itemId,
      ],
    );
    return id;
  }

  /** An autosave folded into the person's previous autosave version. */
  static async updateVersion(tx: EntityManager, version: VersionRow, fields: ContentFields, changed: string[]): Promise<void> {
    await tx.execute(
      `update content.version set at = clock_timestamp(), changed = ?::text[], type = ?, visibility = ?, language = ?, title = ?, summary = ?, body = ?, html = ?, tags = ?::text[],
              event_id = ?, cover_image_id = ?, cover_alt = ? where id = ?`,
      [
        arrayLiteral([...new Set([...(version.changed ?? []), ...changed])]),
        fields.type,
        fields.visibility,
        fields.language,
        fields.title,
        fields.summary,
        fields.body,
        renderContentBody(fields.body),
        arrayLiteral(fields.tags),
        fields.eventId,
        fields.coverImageId,
        fields.coverAlt,
        version.id,
      ],
    );
  }

  /** The item's copy of the version lists show (type … search_text, cover, event). */
  static async copyToItem(tx: EntityManager, itemId: string, fields: ContentFields): Promise<void> {
    const keys = contentSearchKeys(fields);
    await tx.execute(
      `update content.item set type = ?, visibility = ?, language = ?, title = ?, summary = ?, tags = ?::text[], tag_keys = ?::text[], cover_image_id = ?, cover_alt = ?,
              event_id = ?, reading_minutes = ?, search_tokens = ?::text[], search_text = ?, updated_at = clock_timestamp() where id = ?`,
      [
        fields.type,
        fields.visibility,
        fields.language,
        fields.title,
        fields.summary,
        arrayLiteral(fields.tags),
        arrayLiteral([...new Set(fields.tags.map(tagKey))]),
        fields.coverImageId,
        fields.coverAlt,
        fields.eventId,
        readingMinutes(fields.body, fields.language),
        arrayLiteral(keys.tokens),
        keys.text,
        itemId,
      ],
    );
  }

  /** Sets columns of the item (always touching updated_at). */
  static async setItem(tx: EntityManager, itemId: string, set: Record<string, unknown>): Promise<void> {
    const entries = Object.entries(set);
    const sql = [...entries.map(([column]) => `${column} = ?`), 'updated_at = clock_timestamp()'].join(', ');
    await tx.execute(`update content.item set ${sql} where id = ?`, [...entries.map(([, v]) => v), itemId]);
  }

  /** The delayed job that publishes a scheduled item at `at` (a new `at` is a new job; the old one finds nothing to do). */
  static schedule(tx: EntityManager, itemId: string, at: Date): void {
    const payload: PublishScheduledPayload = { contentId: itemId, at: at.toISOString() };
    Outbox.enqueue(tx, { queue: CONTENT_QUEUES.content, name: PUBLISH_SCHEDULED_JOB, payload: { ...payload }, jobId: publishJobId(itemId, at), runAt: at });
  }

  static published(tx: EntityManager, item: ItemRow, fields: ContentFields, publishedAt: Date, revision: boolean): void {
    Outbox.publish(
      tx,
      integrationEvent(ContentEvents.published, {
        contentId: item.id,
        contentType: fields.type,
        visibility: fields.visibility,
        authorId: item.author_id,
        title: fields.title,
        publishedAt: publishedAt.toISOString(),
        revision,
      } satisfies Omit<ContentPublishedEvent, 'eventId' | 'type' | 'occurredAt'>),
    );
  }

  static reviewed(tx: EntityManager, item: ItemRow, decision: ContentReviewedEvent['decision'], comment: string, revision: boolean): void {
    if (!item.author_id) return;
    Outbox.publish(
      tx,
      integrationEvent(ContentEvents.reviewed, { contentId: item.id, authorId: item.author_id, decision, comment, revision } satisfies Omit<ContentReviewedEvent, 'eventId' | 'type' | 'occurredAt'>),
    );
  }

  /** An operator's workflow action in the audit log (in the caller's transaction). */
  async audit(viewer: Viewer, item: Pick<ItemRow, 'id' | 'title' | 'author_id'>, action: string, detail: Record<string, unknown> = {}): Promise<void> {
    await this.commands.execute(new RecordAuditEventCommand(viewer, 'content.moderated', { detail: { action, contentId: item.id, title: item.title, authorId: item.author_id, ...detail } }));
  }
}
