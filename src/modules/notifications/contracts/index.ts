import { Command, Query } from '@nestjs/cqrs';
import type { Viewer } from '@libs/security/access-policy';

/*
 * Notifications reacts to other modules' integration events (mail and site notifications); other modules need not
 * call it. These are for the bell and the notifications page.
 */

export const NOTIFICATIONS_PAGE_SIZE = 20;

/** A site notification; its text is `notifications.kinds.<kind>` with `params`, in the reader's language. */
export interface NotificationView {
  id: string;
  kind: string;
  params: Record<string, string | number>;
  /** A path on this site, or null. */
  link: string | null;
  createdAt: Date;
  read: boolean;
}

export interface NotificationPage {
  items: NotificationView[];
  total: number;
  unread: number;
  page: number;
  pages: number;
}

/** How many of the viewer's notifications are unread (one indexed count). */
export class CountUnreadNotificationsQuery extends Query<number> {
  constructor(readonly viewer: Viewer) {
    super();
  }
}

/** The viewer's notifications, newest first, a page of NOTIFICATIONS_PAGE_SIZE. */
export class ListNotificationsQuery extends Query<NotificationPage> {
  constructor(
    readonly viewer: Viewer,
    readonly page: number,
  ) {
    super();
  }
}

/** Marks the viewer's notifications read: the given ones (others' ids are ignored) or all. Returns how many changed. */
export class MarkNotificationsReadCommand extends Command<{ marked: number }> {
  constructor(
    readonly viewer: Viewer,
    readonly ids: string[] | 'all',
  ) {
    super();
  }
}

/**
 * The viewer opened what these notifications point at: their unread notifications whose link is one of `paths`
 * (compared without the `?query` and `#fragment`, so `/chat/c/1?seq=4` counts as `/chat/c/1`) become read. Modules
 * call it from the page a notice links to (a conversation, an article, a thread page's posts, an event).
 */
export class MarkNotificationsReadByLinkCommand extends Command<{ marked: number }> {

  constructor(
    readonly viewer: Viewer,
    readonly paths: string[],
  ) {
    super();
  }
}

/** How many unread notifications the home page lists. */
export const HOME_NOTIFICATIONS_LIMIT = 3;

export interface HomeNotificationsView {
  /** The latest unread ones, newest first. */
  items: NotificationView[];
  unread: number;
}

/** The notifications block of the viewer's home page: the latest unread few and the unread count (the unread index). */
export class GetHomeNotificationsQuery extends Query<HomeNotificationsView> {
  /** `unread`: the member's unread count when the page already has it (the header's bell); it is not counted again. */
  constructor(
    readonly viewer: Viewer,
    readonly unread?: number,
  ) {
    super();
  }
}

/** The key of the header badge (the bell) that counts a member's unread notices on every page. */
export const NOTIFICATIONS_BADGE = 'notifications';
