import { createHmac } from 'node:crypto';
import type { Request } from 'express';
import { zonedInstant } from '@libs/calendar/zoned-time';
import { dateTimeFormat } from '@libs/calendar/date-format';
import type { Viewer } from '@libs/security/access-policy';
import { TAG_MAX, TAGS_MAX, type ContentCardView, type ContentStatus } from '../contracts';


export const CONTENT_SCRIPT = '/static/content.js';

/** The path of one rendition of a content image (covers: full, 960, og, card; pictures in the body: full, 960, 320). */
export const contentImagePath = (imageId: string, variant: string): string => `/content/images/${encodeURIComponent(imageId)}/${encodeURIComponent(variant)}`;

/** 'a, b c、d' (full-width spaces too) → ['a', 'b', 'c', 'd']: tags typed as one text, separated by commas or spaces. */
export function parseTags(text: string | undefined | null): string[] {
  if (!text) return [];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/[,、，\s\u3000]+/)) {
    const tag = raw.replace(/^#/, '').trim();
    if (!tag || seen.has(tag)) continue;
    seen.add(tag);
    out.push(tag);
  }
  return out;
}

export const TAGS_INPUT_MAX = (TAG_MAX + 1) * TAGS_MAX * 2;

/** `YYYY-MM-DDTHH:mm` of an instant in the zone, for a `datetime-local` field. */
export function toLocalInput(instant: Date | null | undefined, zone: string): string {
  if (!instant) return '';
  const parts = dateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}`;
}

/** The instant a `datetime-local` value names in the zone; null when it is not such a value. */
export function fromLocalInput(value: string | undefined | null, zone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(value ?? '');
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || y < 2000 || y > 2200) return null;
  const instant = zonedInstant(zone, y, mo, d, h, mi);
  // 2026-02-31 rolls over into March: refuse it rather than publish on another day.
  return toLocalInput(instant, zone).slice(0, 10) === `${m[1]}-${m[2]}-${m[3]}` ? instant : null;
}

/**
 * Where readers share an item: plain links with the canonical URL encoded (no third-party script, no embed, nothing
 * loaded from those sites until the reader follows a link).
 */
export function shareLinks(url: string, title: string): { key: string; href: string }[] {
  const u = encodeURIComponent(url);
  const t = encodeURIComponent(title);
  return [
    { key: 'x', href: `https://x.com/intent/post?text=${t}&url=${u}` },
    { key: 'facebook', href: `https://www.facebook.com/sharer/sharer.php?u=${u}` },
    { key: 'linkedin', href: `https://www.linkedin.com/sharing/share-offsite/?url=${u}` },
    { key: 'line', href: `https://social-plugins.line.me/lineit/share?url=${u}` },
    { key: 'hatena', href: `https://b.hatena.ne.jp/add?mode=confirm&url=${u}&title=${t}` },
  ];
}

/** Clients that announce themselves as crawlers, link previewers or monitors: their views are not counted. */
const AUTOMATED_AGENT = /bot|crawl|spider|slurp|preview|facebookexternalhit|embedly|monitor|headless|curl|wget|python-requests|go-http-client/i;

/**
 * The key a view is counted under: the member; for a visitor, a keyed hash of their address and browser (a visitor
 * who only reads has no session — a new session id every request would count every page load), with the site's
 * secret, so neither the address nor the browser is stored or can be recovered from the key. Crawlers and link
 * previewers are not counted (null).
 */
export function viewerKeyOf(req: Request, viewer: Viewer | null, secret: string): string | null {
  if (viewer) return viewer.memberId;
  const agent = req.get('user-agent') ?? '';
  if (!agent || AUTOMATED_AGENT.test(agent)) return null;
  return `v:${createHmac('sha256', secret).update(`content-view\n${req.ip ?? ''}\n${agent}`).digest('base64url').slice(0, 32)}`;
}

/** The badge of an item's state, and what its author can do next, for the "my articles" page and the banners. */
export function statusBadge(status: ContentStatus): string {
  switch (status) {
    case 'published':
      return 'badge-employee';
    case 'submitted':
    case 'scheduled':
      return 'badge-pending';
    case 'returned':
    case 'declined':
      return 'badge-suspended';
    default:
      return 'badge-draft';
  }
}

/** A card with what the views need besides the contract's fields. */
export function cardForView<T extends ContentCardView>(card: T) {
  return {
    ...card,
    statusBadge: statusBadge(card.status),
    publishedIso: card.publishedAt ? new Date(card.publishedAt).toISOString() : null,
    initial: [...(card.author.displayName ?? '')][0] ?? '?',
  };
}


/** Escapes text for XML (the Atom feed and the sitemap). */
export function xml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // Characters XML 1.0 cannot carry at all.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}
