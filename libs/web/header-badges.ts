import { Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import { AccessPolicy, type AccessLevel, type Viewer } from '@libs/security/access-policy';

export interface HeaderBadge {
  /** Names the badge in the page (`header-badge-<key>`). */
  key: string;
  href: string;
  /** Message key of the link's text. */
  label: string;
  /** Message key of the link's accessible name when the count is not zero, with `{count}`. */
  labelWithCount: string;
  access: AccessLevel;
  order: number;
  /** One cheap query per page view. */
  count: (viewer: Viewer) => Promise<number>;
}

export interface HeaderBadgeView {
  key: string;
  href: string;
  label: string;
  labelWithCount: string;
  count: number;
  active: boolean;
}

/**
 * Counters in the header (the notifications bell): each module adds its own at start-up; every page shows the ones
 * the viewer may open, with their current count. A count that fails shows none rather than failing the page.
 */
@Injectable()
export class HeaderBadgeRegistry {
  private readonly logger = new Logger(HeaderBadgeRegistry.name);
  private readonly badges: HeaderBadge[] = [];

  register(...badges: HeaderBadge[]): void {
    for (const badge of badges) if (!this.badges.some((b) => b.key === badge.key)) this.badges.push(badge);
    this.badges.sort((a, b) => a.order - b.order);
  }

  async for(viewer: Viewer | null, currentPath: string): Promise<HeaderBadgeView[]> {
    if (!viewer) return [];
    const visible = this.badges.filter((b) => AccessPolicy.meets(viewer, b.access));
    return Promise.all(
      visible.map(async (b) => {
        let count = 0;
        try {
          count = await b.count(viewer);
        } catch (e) {
          this.logger.warn(`header badge ${b.key} failed: ${(e as Error).message}`);
        }
        return { key: b.key, href: b.href, label: b.label, labelWithCount: b.labelWithCount, count, active: currentPath === b.href || currentPath.startsWith(`${b.href}/`) };
      }),
    );
  }
}

/**
 * The count a header badge shows on this page (computed before the route ran), or undefined when the page has no
 * badges (the API, a visitor). A page can skip work the count says is not needed — marking notices read when there is
 * none unread.
 */
export function headerBadgeCount(req: Request, key: string): number | undefined {
  const badges = req.res?.locals.headerBadges as HeaderBadgeView[] | undefined;
  return badges?.find((b) => b.key === key)?.count;
}

/** The badge on this page counts `by` fewer (the route just marked that many read), never below zero. */
export function lowerHeaderBadge(req: Request, key: string, by: number): void {
  const badge = (req.res?.locals.headerBadges as HeaderBadgeView[] | undefined)?.find((b) => b.key === key);
  if (badge && by > 0) badge.count = Math.max(0, badge.count - by);
}

/**
 * A page's "mark what this page shows as read": `mark` runs unless the badge `key` already shows none (one write
 * fewer for most page views), and the badge on this page counts out what it marked.
 */
export async function countOutOnPage(req: Request, key: string, mark: () => Promise<{ marked: number }>): Promise<void> {
  if (headerBadgeCount(req, key) === 0) return;
  lowerHeaderBadge(req, key, (await mark()).marked);
}
