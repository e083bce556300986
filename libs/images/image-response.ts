import type { Response } from 'express';
import type { OpenedImage } from './image.service';

/**
 * Cache-Control for images. A new upload gets a new id, so a URL's bytes never change (`immutable`).
 * - `members`: images only some people may see (profile photos, member posts): only the viewer's browser may keep
 *   them (`private`: never a shared proxy or CDN), for a day, so that a photo withdrawn from view (account deleted,
 *   member suspended) leaves other browsers' caches within a day.
 * - `public`: images anyone may see (public news, the community logo).
 */
export const IMAGE_CACHE_CONTROL = {
  members: 'private, max-age=86400, immutable',
  public: 'public, max-age=31536000, immutable',
} as const;

/** Sends an opened variant with its type, length and caching; the owner module has already checked visibility. */
export function sendImage(res: Response, image: OpenedImage, cacheControl: string): void {
  res.status(200);
  res.setHeader('Content-Type', image.contentType);
  res.setHeader('Content-Length', String(image.size));
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Disposition', 'inline');
  image.stream
    .on('error', () => {
      if (!res.headersSent) res.status(404).end();
      else res.destroy();
    })
    .pipe(res);
}
