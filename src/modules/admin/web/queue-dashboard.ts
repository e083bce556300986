import { Injectable, OnApplicationShutdown, type INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { AppConfig } from '@libs/config';
import { IMAGES_QUEUE, INTEGRATION_EVENTS_QUEUE, MAIL_QUEUE } from '@libs/queue/queue-names';
import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import { CsrfError, hasValidCsrfToken } from '@libs/security/csrf';
import { MEMBERSHIP_QUEUES } from '@modules/membership/contracts';
import { EVENTS_QUEUES } from '@modules/events/contracts';
import { PRIVACY_QUEUES } from '@modules/privacy/contracts';
import { CONTENT_QUEUES } from '@modules/content/contracts';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';
const QUEUES = [MAIL_QUEUE, INTEGRATION_EVENTS_QUEUE, IMAGES_QUEUE, ...Object.values(MEMBERSHIP_QUEUES), ...Object.values(EVENTS_QUEUES), ...Object.values(PRIVACY_QUEUES), ...Object.values(CONTENT_QUEUES)];

/** The BullMQ dashboard, for admins only (checked on every request, pages and its JSON calls alike). */
@Injectable()
export class QueueDashboard implements OnApplicationShutdown {
  private readonly queues: Queue[];

  constructor(config: AppConfig) {
    this.queues = QUEUES.map(
      (name) => new Queue(name, { connection: { url: config.redisUrl, maxRetriesPerRequest: null }, prefix: `${config.redisPrefix}:bull` }),
    );
  }

  mount(app: INestApplication): void {
    const adapter = new ExpressAdapter();
    adapter.setBasePath(QUEUE_DASHBOARD_PATH);
    createBullBoard({ queues: this.queues.map((q) => new BullMQAdapter(q)), serverAdapter: adapter, options: { uiConfig: { boardTitle: 'Kizuna queues' } } });
    const adminOnly = (req: Request, res: Response, next: NextFunction) => {
      const viewer = (req.user as Viewer | undefined) ?? null;
      if (AccessPolicy.isAdmin(viewer)) return next();
      if (!viewer) return res.redirect(303, `/login?next=${encodeURIComponent(QUEUE_DASHBOARD_PATH)}`);
      res.status(403).render('shared/errors/error', { status: 403, heading: 'errors.forbidden.heading', message: 'errors.forbidden.message' });
    };
    (app as NestExpressApplication).use(QUEUE_DASHBOARD_PATH, adminOnly, sameSiteWrites, adapter.getRouter());
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.queues.map(async (q) => {
      await q.close();
      await q.disconnect();
    }));
  }
}

/**
 * The dashboard's writes (pause, retry, clean…) pass the same CSRF check as every other write. Its page script
 * cannot send our token, so a write is also accepted when the browser says it comes from this very site: an
 * `Origin` header naming this host, or `Sec-Fetch-Site: same-origin` (browsers send both on script requests and
 * never let another site forge them).
 */
function sameSiteWrites(req: Request, _res: Response, next: NextFunction): void {
  if (hasValidCsrfToken(req) || fromThisSite(req)) return next();
  next(new CsrfError('csrf'));
}

function fromThisSite(req: Request): boolean {
  const origin = req.get('origin');
  if (origin) {
    try {
      return new URL(origin).host === req.get('host');
    } catch {
      return false;
    }
  }
  return req.get('sec-fetch-site') === 'same-origin';
}

export function mountQueueDashboard(app: INestApplication): void {
  app.get(QueueDashboard).mount(app);
}
