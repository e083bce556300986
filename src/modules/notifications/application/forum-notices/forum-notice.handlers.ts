import { Injectable, Logger } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OnIntegrationEvent, type IntegrationEventHandler } from '@libs/outbox/integration-event-handler';
import { GetPostNoticeQuery, GetPostReactionsSinceQuery, NetworkingEvents, type PostCreatedEvent, type ReactionsBatchedEvent } from '@modules/networking/contracts';
import { SiteNotifier } from '../site-notifications/site-notifier';
import { notifiableAccount } from '../site-notifications/notifiable-account';

/** Whether the member may be told anything now (see notifiableAccount). */
const notifiable = async (queries: QueryBus, memberId: string, logger: Logger) => (await notifiableAccount(queries, memberId, logger, 'forum notice')) !== null;

/**
 * A new post: the bell of each member the forum names (mentioned, quoted, replied to as a watcher, watching), once
 * per member and post. Networking decides who may read the board; the notice carries the thread's title and the
 * author's name, and links to the post.
 */
@Injectable()
@OnIntegrationEvent(NetworkingEvents.postCreated)
export class NotifyMembersOnPostCreatedHandler implements IntegrationEventHandler<PostCreatedEvent> {
  private readonly logger = new Logger(NotifyMembersOnPostCreatedHandler.name);

  constructor(private readonly queries: QueryBus) {}

  async handle(e: PostCreatedEvent, tx: EntityManager): Promise<void> {
    const notice = await this.queries.execute(new GetPostNoticeQuery(e.postId));
    if (!notice) return;
    for (const r of notice.recipients) {
      if (r.memberId === notice.authorId || !(await notifiable(this.queries, r.memberId, this.logger))) continue;
      await SiteNotifier.notify(tx, {
        memberId: r.memberId,
        kind: `forum-${r.reason}`,
        params: { title: notice.threadTitle, name: notice.authorName },
        link: notice.link,
        dedupeKey: `forum-post:${notice.postId}:${r.memberId}`,
      });
    }
  }
}

/** Reactions to a post in one window: one notice to its author with how many there were. */
@Injectable()
@OnIntegrationEvent(NetworkingEvents.reactionsBatched)
export class NotifyAuthorOnReactionsBatchedHandler implements IntegrationEventHandler<ReactionsBatchedEvent> {
  private readonly logger = new Logger(NotifyAuthorOnReactionsBatchedHandler.name);

  constructor(private readonly queries: QueryBus) {}

  async handle(e: ReactionsBatchedEvent, tx: EntityManager): Promise<void> {
    const since = new Date(e.windowStart);
    if (Number.isNaN(since.getTime())) return;
    const reactions = await this.queries.execute(new GetPostReactionsSinceQuery(e.postId, since, e.windowEnd ? new Date(e.windowEnd) : undefined));
    if (!reactions || reactions.count <= 0) return;
    if (!(await notifiable(this.queries, reactions.authorId, this.logger))) return;
    await SiteNotifier.notify(tx, {
      memberId: reactions.authorId,
      kind: 'forum-reactions',
      params: { title: reactions.threadTitle, count: reactions.count },
      link: reactions.link,
      dedupeKey: `forum-reactions:${e.postId}:${e.windowStart}`,
    });
  }
}
