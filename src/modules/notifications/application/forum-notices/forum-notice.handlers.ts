import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OnIntegrationEvent, type IntegrationEventHandler } from '@libs/outbox/integration-event-handler';
import { GetPostNoticeQuery, GetPostReactionsSinceQuery, NetworkingEvents, type PostCreatedEvent, type ReactionsBatchedEvent } from '@modules/networking/contracts';
import { SiteNotifier } from '../site-notifications/site-notifier';

/**
 * A new post: the bell of each member the forum names (mentioned, quoted, watching), once per member and post.
 * Networking decides who may read the board; the notice carries the thread's title and the author's name.
 */
@Injectable()
@OnIntegrationEvent(NetworkingEvents.postCreated)
export class NotifyMembersOnPostCreatedHandler implements IntegrationEventHandler<PostCreatedEvent> {
  constructor(private readonly queries: QueryBus) {}

  async handle(e: PostCreatedEvent, tx: EntityManager): Promise<void> {
    const notice = await this.queries.execute(new GetPostNoticeQuery(e.postId));
    if (!notice) return;
    for (const r of notice.recipients) {
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
  constructor(private readonly queries: QueryBus) {}

  async handle(e: ReactionsBatchedEvent, tx: EntityManager): Promise<void> {
    const since = new Date(e.windowStart);
    if (Number.isNaN(since.getTime())) return;
    const reactions = await this.queries.execute(new GetPostReactionsSinceQuery(e.postId, since));
    if (!reactions || reactions.count === 0) return;
    await SiteNotifier.notify(tx, {
      memberId: reactions.authorId,
      kind: 'forum-reactions',
      params: { title: reactions.threadTitle, count: reactions.count },
      link: reactions.link,
      dedupeKey: `forum-reactions:${e.postId}:${e.windowStart}`,
    });
  }
}
