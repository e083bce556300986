import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ForbiddenError } from '@libs/ddd';
import { ImageService } from '@libs/images/image.service';
import { AccessPolicy } from '@libs/security/access-policy';
import {
  CreateContentCommand,
  DeclineContentCommand,
  DiscardContentCommand,
  FEATURED_MAX,
  FeatureContentCommand,
  PublishContentCommand,
  PublishScheduledContentCommand,
  RETURN_COMMENT_MAX,
  ReturnContentCommand,
  SubmitContentCommand,
  UnpublishContentCommand,
  UpdateContentCommand,
  WithdrawContentCommand,
  type ContentStatus,
  type RevisionStatus,
} from '../contracts';
import { assertComplete, changedFields, cleanContentInput, cleanReviewComment } from '../domain/content-input';
import { ContentFieldError, ContentForbiddenError, ContentNotFeaturableError, ContentNotFoundError } from '../domain/content.errors';
import { transition } from '../domain/content-workflow';
import { ContentStore, fieldsOfVersion, type ItemRow, type VersionRow } from './content-store';
import { AUTOSAVE_MERGE_MS, byViewer, ContentWriter, type VersionAuthor } from './content-writer';

type StateAnswer = { status: ContentStatus; revisionStatus: RevisionStatus | null };
const answer = (status: ContentStatus, revisionStatus: RevisionStatus | null): StateAnswer => ({ status, revisionStatus });

async function versionOrFail(tx: EntityManager, id: string | null): Promise<VersionRow> {
  const v = await ContentStore.version(tx, id);
  if (!v) throw new ContentNotFoundError();
  return v;
}

@CommandHandler(CreateContentCommand)
export class CreateContentHandler implements ICommandHandler<CreateContentCommand> {
  constructor(private readonly writer: ContentWriter) {}

  async execute({ viewer, input }: CreateContentCommand): Promise<{ contentId: string }> {
    if (!AccessPolicy.isMember(viewer)) throw new ForbiddenError();
    const fields = cleanContentInput(input ?? {});
    // A new item has no images yet.
    if (fields.coverImageId) throw new ContentFieldError('coverImageId', 'notCover');
    await this.writer.checkEvent(viewer, fields);
    const id = randomUUID();
    await this.writer.store.em.fork().transactional(async (tx) => {
      await tx.execute(`insert into content.item (id, author_id, status, type, visibility, language, title) values (?, ?, 'draft', ?, ?, ?, ?)`, [
        id,
        viewer.memberId,
        fields.type,
        fields.visibility,
        fields.language,
        fields.title,
      ]);
      const versionId = await ContentWriter.addVersion(tx, id, fields, { action: 'create', by: byViewer(viewer), changed: changedFields(null, fields) });
      await ContentWriter.setItem(tx, id, { working_version_id: versionId });
      await ContentWriter.copyToItem(tx, id, fields);
    });
    return { contentId: id };
  }
}

@CommandHandler(UpdateContentCommand)
export class UpdateContentHandler implements ICommandHandler<UpdateContentCommand> {
  constructor(private readonly writer: ContentWriter) {}

  async execute({ viewer, contentId, input, options }: UpdateContentCommand): Promise<StateAnswer> {
    const autosave = options?.autosave === true;
    return this.writer.withItem(viewer, contentId, async (tx, item, actor) => {
      const out = ContentWriter.decide(item, 'edit', actor);
      // An operator's edit of a published item goes online at once; their editor's autosaves do not (they are kept as
      // versions until the operator saves).
      const looseAutosave = autosave && out.effect === 'publish-now';
      const baseId = out.effect === 'save-revision' ? (item.revision_version_id ?? item.published_version_id) : out.effect === 'publish-now' ? item.published_version_id : item.working_version_id;
      const base = await versionOrFail(tx, baseId);
      const before = fieldsOfVersion(base);
      const fields = cleanContentInput(input ?? {}, before);
      if (fields.eventId !== before.eventId || fields.type !== before.type) await this.writer.checkEvent(viewer, fields);
      if (fields.coverImageId !== before.coverImageId) await ContentWriter.checkCover(tx, item.id, fields);
      const changed = changedFields(before, fields);
      if (changed.length === 0) return answer(item.status, item.revision_status);

      const [latest] = await tx.execute<VersionRow[]>('select * from content.version where item_id = ? order by seq desc limit 1', [item.id]);
      const pointers = new Set([item.published_version_id, item.working_version_id, item.revision_version_id].filter(Boolean));
      const mergeable =
        autosave &&
        latest &&
        latest.autosave &&
        latest.by_id === viewer.memberId &&
        Date.now() - new Date(latest.at).getTime() < AUTOSAVE_MERGE_MS &&
        latest.id !== item.published_version_id &&
        (latest.id === base.id || !pointers.has(latest.id));
      let versionId: string;
      if (mergeable) {
        await ContentWriter.updateVersion(tx, latest, fields, changed);
        versionId = latest.id;
      } else {
        versionId = await ContentWriter.addVersion(tx, item.id, fields, { action: 'edit', by: byViewer(viewer), changed, autosave });
      }
      if (looseAutosave) return answer(item.status, item.revision_status);

      switch (out.effect) {
        case 'save-working':
          await ContentWriter.setItem(tx, item.id, { working_version_id: versionId });
          await ContentWriter.copyToItem(tx, item.id, fields);
          break;
        case 'save-revision':
          await ContentWriter.setItem(tx, item.id, { revision_version_id: versionId, revision_status: out.revisionStatus });
          break;
        case 'publish-now':
          await ContentWriter.setItem(tx, item.id, { published_version_id: versionId, working_version_id: versionId });
          await ContentWriter.copyToItem(tx, item.id, fields);
          ContentWriter.published(tx, item, fields, new Date(), true);
          break;
        default:
          break;
      }
      if (actor.isOperator && !actor.isAuthor && !autosave) await this.writer.audit(viewer, item, 'edit', { changed, online: out.effect === 'publish-now' });
      return answer(out.status, out.revisionStatus);
    });
  }
}

@CommandHandler(SubmitContentCommand)
export class SubmitContentHandler implements ICommandHandler<SubmitContentCommand> {
  constructor(private readonly writer: ContentWriter) {}

  async execute({ viewer, contentId }: SubmitContentCommand): Promise<StateAnswer> {
    return this.writer.withItem(viewer, contentId, async (tx, item, actor) => {
      const out = ContentWriter.decide(item, 'submit', actor);
      const source = await versionOrFail(tx, out.onRevision ? item.revision_version_id : item.working_version_id);
      const fields = fieldsOfVersion(source);
      assertComplete(fields);
      const versionId = await ContentWriter.addVersion(tx, item.id, fields, { action: 'submit', by: byViewer(viewer), html: source.html });
      await ContentWriter.setItem(
        tx,
        item.id,
        out.onRevision
          ? { revision_version_id: versionId, revision_status: out.revisionStatus, review_comment: null }
          : { working_version_id: versionId, status: out.status, review_comment: null },
      );
      return answer(out.status, out.revisionStatus);
    });
  }
}

@CommandHandler(WithdrawContentCommand)
export class WithdrawContentHandler implements ICommandHandler<WithdrawContentCommand> {
  constructor(private readonly writer: ContentWriter) {}

  async execute({ viewer, contentId }: WithdrawContentCommand): Promise<StateAnswer> {
    return this.writer.withItem(viewer, contentId, async (tx, item, actor) => {
      const out = ContentWriter.decide(item, 'withdraw', actor);
      const source = await versionOrFail(tx, out.onRevision ? item.revision_version_id : item.working_version_id);
      const versionId = await ContentWriter.addVersion(tx, item.id, fieldsOfVersion(source), { action: 'withdraw', by: byViewer(viewer), html: source.html });
      await ContentWriter.setItem(tx, item.id, out.onRevision ? { revision_version_id: versionId, revision_status: out.revisionStatus } : { working_version_id: versionId, status: out.status });
      return answer(out.status, out.revisionStatus);
    });
  }
}

/**
 * Puts a version online now: it becomes the published (and working) version, the item's copy follows it, and
 * `content.published` is published. `revision`: a pending revision of an item already online.
 */
async function publishNow(tx: EntityManager, item: ItemRow, source: VersionRow, by: VersionAuthor, revision: boolean): Promise<Date> {
  const fields = fieldsOfVersion(source);
  assertComplete(fields);
  const versionId = await ContentWriter.addVersion(tx, item.id, fields, { action: 'publish', by, html: source.html });
  const now = new Date();
  // A revision keeps the item's publication date (its place in lists); a first publication or a re-publication is now.
  const publishedAt = revision && item.published_at ? new Date(item.published_at) : now;
  await ContentWriter.setItem(tx, item.id, {
    status: 'published',
    published_version_id: versionId,
    working_version_id: versionId,
    revision_version_id: null,
    revision_status: null,
    review_comment: null,
    scheduled_at: null,
    published_at: publishedAt,
    first_published_at: item.first_published_at ?? now,
  });
  await ContentWriter.copyToItem(tx, item.id, fields);
  ContentWriter.published(tx, item, fields, publishedAt, revision);
  return publishedAt;
}

@CommandHandler(PublishContentCommand)
export class PublishContentHandler implements ICommandHandler<PublishContentCommand> {
  constructor(private readonly writer: ContentWriter) {}

  async execute({ viewer, contentId, at }: PublishContentCommand): Promise<{ status: ContentStatus; publishedAt: Date | null; scheduledAt: Date | null }> {
    if (at !== undefined && at !== null && (!(at instanceof Date) || Number.isNaN(at.getTime()))) throw new ContentFieldError('at', 'invalid');
    return this.writer.withItem(viewer, contentId, async (tx, item, actor) => {
      const now = new Date();
      const out = ContentWriter.decide(item, 'publish', actor, { at, now });
      if (out.effect === 'schedule') {
        const source = await versionOrFail(tx, item.working_version_id);
        assertComplete(fieldsOfVersion(source));
        const when = at as Date;
        const versionId = await ContentWriter.addVersion(tx, item.id, fieldsOfVersion(source), { action: 'schedule', by: byViewer(viewer), html: source.html });
        await ContentWriter.setItem(tx, item.id, { status: 'scheduled', working_version_id: versionId, scheduled_at: when, review_comment: null });
        ContentWriter.schedule(tx, item.id, when);
        if (out.notifyAuthor) ContentWriter.reviewed(tx, item, 'scheduled', '', false);
        await this.writer.audit(viewer, item, 'schedule', { at: when.toISOString() });
        return { status: out.status, publishedAt: item.published_at, scheduledAt: when };
      }
      const source = await versionOrFail(tx, out.onRevision ? item.revision_version_id : item.working_version_id);
      const publishedAt = await publishNow(tx, item, source, byViewer(viewer), out.onRevision);
      if (out.notifyAuthor) ContentWriter.reviewed(tx, item, 'published', '', out.onRevision);
      await this.writer.audit(viewer, item, 'publish', { revision: out.onRevision });
      return { status: out.status, publishedAt, scheduledAt: null };
    });
  }
}

/**
 * The delayed job's publication. It publishes only an item still scheduled for exactly `at` (a moved or cancelled
 * schedule leaves the old job doing nothing), so running it twice publishes once. The schedule acts as the operator
 * who set it: the publication's version carries their name.
 */
@CommandHandler(PublishScheduledContentCommand)
export class PublishScheduledContentHandler implements ICommandHandler<PublishScheduledContentCommand> {
  constructor(private readonly store: ContentStore) {}

  async execute({ contentId, at }: PublishScheduledContentCommand): Promise<{ outcome: 'published' | 'skipped' }> {
    return this.store.em.fork().transactional(async (tx) => {
      const item = await ContentStore.lock(tx, contentId);
      if (!item || item.status !== 'scheduled' || !item.scheduled_at || new Date(item.scheduled_at).getTime() !== at.getTime()) return { outcome: 'skipped' as const };
      transition({ status: item.status, revisionStatus: item.revision_status, everPublished: item.first_published_at !== null }, 'publish', { isAuthor: true, isOperator: true });
      const source = await versionOrFail(tx, item.working_version_id);
      await publishNow(tx, item, source, { id: source.by_id, name: source.by_name }, false);
      return { outcome: 'published' as const };
    });
  }
}

@CommandHandler(ReturnContentCommand)
export class ReturnContentHandler implements ICommandHandler<ReturnContentCommand> {
  constructor(private readonly writer: ContentWriter) {}

  async execute({ viewer, contentId, comment }: ReturnContentCommand): Promise<StateAnswer> {
    return this.writer.withItem(viewer, contentId, async (tx, item, actor) => {
      const out = ContentWriter.decide(item, 'return', actor);
      const text = cleanReviewComment(comment, RETURN_COMMENT_MAX, true);
      const source = await versionOrFail(tx, out.onRevision ? item.revision_version_id : item.working_version_id);
      const versionId = await ContentWriter.addVersion(tx, item.id, fieldsOfVersion(source), { action: 'return', by: byViewer(viewer), comment: text, html: source.html });
      await ContentWriter.setItem(
        tx,
        item.id,
        out.onRevision
          ? { revision_version_id: versionId, revision_status: out.revisionStatus, review_comment: text }
          : { working_version_id: versionId, status: out.status, review_comment: text, scheduled_at: null },
      );
      if (out.notifyAuthor) ContentWriter.reviewed(tx, item, 'returned', text, out.onRevision);
      await this.writer.audit(viewer, item, 'return', { revision: out.onRevision });
      return answer(out.status, out.revisionStatus);
    });
  }
}

@CommandHandler(DeclineContentCommand)
export class DeclineContentHandler implements ICommandHandler<DeclineContentCommand> {
  constructor(private readonly writer: ContentWriter) {}

  async execute({ viewer, contentId, comment }: DeclineContentCommand): Promise<StateAnswer> {
    return this.writer.withItem(viewer, contentId, async (tx, item, actor) => {
      const out = ContentWriter.decide(item, 'decline', actor);
      const text = cleanReviewComment(comment, RETURN_COMMENT_MAX, false);
      const source = await versionOrFail(tx, out.onRevision ? item.revision_version_id : item.working_version_id);
      const versionId = await ContentWriter.addVersion(tx, item.id, fieldsOfVersion(source), { action: 'decline', by: byViewer(viewer), comment: text || null, html: source.html });
      await ContentWriter.setItem(
        tx,
        item.id,
        out.onRevision
          ? // The declined revision is dropped (kept in the history); the published version stays.
            { revision_version_id: null, revision_status: null, review_comment: null }
          : { working_version_id: versionId, status: out.status, review_comment: text || null, scheduled_at: null },
      );
      if (out.notifyAuthor) ContentWriter.reviewed(tx, item, 'declined', text, out.onRevision);
      await this.writer.audit(viewer, item, 'decline', { revision: out.onRevision });
      return answer(out.status, out.revisionStatus);
    });
  }
}

@CommandHandler(UnpublishContentCommand)
export class UnpublishContentHandler implements ICommandHandler<UnpublishContentCommand> {
  constructor(private readonly writer: ContentWriter) {}

  async execute({ viewer, contentId }: UnpublishContentCommand): Promise<{ status: ContentStatus }> {
    return this.writer.withItem(viewer, contentId, async (tx, item, actor) => {
      const out = ContentWriter.decide(item, 'unpublish', actor);
      // Offline, the item is edited from its latest text: a pending revision if there is one, else what was online.
      const source = await versionOrFail(tx, item.revision_version_id ?? item.working_version_id ?? item.published_version_id);
      const fields = fieldsOfVersion(source);
      const versionId = await ContentWriter.addVersion(tx, item.id, fields, { action: 'unpublish', by: byViewer(viewer), html: source.html });
      await ContentWriter.setItem(tx, item.id, {
        status: out.status,
        working_version_id: versionId,
        revision_version_id: null,
        revision_status: null,
        scheduled_at: null,
        featured_at: null,
      });
      await ContentWriter.copyToItem(tx, item.id, fields);
      if (actor.isOperator) await this.writer.audit(viewer, item, 'unpublish', { from: item.status });
      return { status: out.status };
    });
  }
}

@CommandHandler(DiscardContentCommand)
export class DiscardContentHandler implements ICommandHandler<DiscardContentCommand> {
  constructor(
    private readonly writer: ContentWriter,
    private readonly images: ImageService,
  ) {}

  async execute({ viewer, contentId }: DiscardContentCommand): Promise<void> {
    await this.writer.withItem(viewer, contentId, async (tx, item, actor) => {
      const out = ContentWriter.decide(item, 'discard', actor);
      if (out.effect === 'drop-revision') {
        const source = await versionOrFail(tx, item.revision_version_id);
        await ContentWriter.addVersion(tx, item.id, fieldsOfVersion(source), { action: 'discard', by: byViewer(viewer), html: source.html });
        await ContentWriter.setItem(tx, item.id, { revision_version_id: null, revision_status: null, review_comment: null });
        return;
      }
      // The item goes with its versions, likes, comments and views; its images' files are erased after commit.
      const images = await tx.execute<{ image_id: string }[]>('select image_id from content.image where item_id = ?', [item.id]);
      for (const image of images) this.images.release(tx, image.image_id);
      await tx.execute('delete from content.item where id = ?', [item.id]);
      if (actor.isOperator && !actor.isAuthor) await this.writer.audit(viewer, item, 'discard', { status: item.status });
    });
  }
}

@CommandHandler(FeatureContentCommand)
export class FeatureContentHandler implements ICommandHandler<FeatureContentCommand> {
  constructor(private readonly writer: ContentWriter) {}

  async execute({ viewer, contentId, featured }: FeatureContentCommand): Promise<void> {
    if (!AccessPolicy.isOperator(viewer)) {
      // Not even whether it exists, unless the viewer may read it.
      await this.writer.store.readable(viewer, contentId);
      throw new ContentForbiddenError('operatorsOnly');
    }
    await this.writer.withItem(viewer, contentId, async (tx, item) => {
      if (featured) {
        if (item.status !== 'published') throw new ContentNotFeaturableError();
        if (item.featured_at) return;
        // One pinning at a time, so that two at once cannot leave more than FEATURED_MAX pinned.
        await tx.execute(`select pg_advisory_xact_lock(hashtext('content.featured'))`);
        await tx.execute('update content.item set featured_at = clock_timestamp() where id = ?', [item.id]);
        await tx.execute(
          `update content.item set featured_at = null where id in (
             select id from content.item where featured_at is not null order by featured_at desc, id desc offset ?)`,
          [FEATURED_MAX],
        );
      } else {
        if (!item.featured_at) return;
        await tx.execute('update content.item set featured_at = null where id = ?', [item.id]);
      }
      await this.writer.audit(viewer, item, featured ? 'feature' : 'unfeature');
    });
  }
}

