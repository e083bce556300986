import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import RedisStore from 'connect-redis';
import passport from 'passport';
import helmet from 'helmet';
import { AppConfig } from '@libs/config';
import { resolveLocale, type Locale } from '@libs/i18n';
import { RedisConnections } from '@libs/queue/redis-connections';
import { csrfTokenFor } from '@libs/security/csrf';
import { VIEWER_LOADER, type ViewerLoader } from '@libs/security/viewer-loader';
import type { Viewer } from '@libs/security/access-policy';
import { takeFlash, takeFormState } from './form-state';
import { safeRedirectPath } from './safe-redirect';
import { HeaderBadgeRegistry } from './header-badges';
import { HttpErrorFilter } from './http-error.filter';
import { NavRegistry } from './nav-registry';
import { ANONYMOUS_SESSION_TTL_SECONDS, SESSION_REFRESH_PARTS, SESSION_TTL_SECONDS, SessionRegistry } from './session-registry';
import { ViewEngine } from './view-engine';

export const LOCALE_COOKIE = 'kizuna.lang';
export const SESSION_COOKIE = 'kizuna.sid';

declare module 'express-serve-static-core' {
  interface Request {
    locale: Locale;
  }
}

interface SessionUser {
  id: string;
  v: number;
}

/** Everything between the socket and the controllers: security headers, sessions, passport, CSRF, locale, views. */
export function configureWebApp(app: INestApplication): void {
  const expressApp = app as NestExpressApplication;
  const config = app.get(AppConfig);
  const redis = app.get(RedisConnections);
  const nav = app.get(NavRegistry);
  const headerBadges = app.get(HeaderBadgeRegistry);
  const viewerLoader = app.get<ViewerLoader>(VIEWER_LOADER);
  const sessions = app.get(SessionRegistry);
  const root = process.env.KIZUNA_ROOT ?? process.cwd();

  if (config.trustProxy) expressApp.set('trust proxy', 1);
  expressApp.disable('x-powered-by');

  // No redirect leaves the site: every target, whoever sends it (controllers, the error filter, the queue
  // dashboard), goes through the one safe-redirect check, and falls back to the home page.
  expressApp.use((_req: Request, res: Response, next: NextFunction) => {
    const redirect = res.redirect.bind(res) as (status: number, url: string) => void;
    res.redirect = ((statusOrUrl: number | string, url?: string) =>
      typeof statusOrUrl === 'number' ? redirect(statusOrUrl, safeRedirectPath(url)) : redirect(302, safeRedirectPath(statusOrUrl))) as Response['redirect'];
    next();
  });

  const strictCsp = helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'upgrade-insecure-requests': config.secureCookies ? [] : null,
      },
    },
    strictTransportSecurity: config.secureCookies,
    // Our own forms send the page they came from; other sites learn nothing beyond the origin.
    referrerPolicy: { policy: 'same-origin' },
  });
  // The queue dashboard ships its own inline bootstrap script; it is for admins only.
  const dashboardCsp = helmet({ contentSecurityPolicy: { directives: { 'script-src': ["'self'", "'unsafe-inline'"], 'upgrade-insecure-requests': null } } });
  // The API description page styles itself inline; scripts stay 'self' there.
  const apiDocsCsp = helmet({
    contentSecurityPolicy: { directives: { 'style-src': ["'self'", "'unsafe-inline'"], 'frame-ancestors': ["'none'"], 'upgrade-insecure-requests': null } },
    referrerPolicy: { policy: 'same-origin' },
  });
  // The policies depend on nothing in the request: helmet computes each set of headers once, at start-up, and every
  // answer gets them as they are.
  const strict = fixedHeaders(strictCsp);
  const dashboard = fixedHeaders(dashboardCsp);
  const apiDocs = fixedHeaders(apiDocsCsp);
  expressApp.use((req: Request, res: Response, next: NextFunction) => {
    res.setHeaders(req.path.startsWith('/admin/queues') ? dashboard : req.path.startsWith('/api/docs') ? apiDocs : strict);
    next();
  });

  expressApp.use('/static', express.static(join(root, 'libs', 'web', 'public'), { maxAge: config.isProduction ? '7d' : 0, index: false }));

  expressApp.use(
    session({
      name: SESSION_COOKIE,
      // Sliding expiry without a Redis write and a new cookie on every request: the session is refreshed (below) once
      // a twenty-fourth of its lifetime has passed, so an unchanged session costs one GET.
      store: new RedisStore({ client: redis.client, prefix: `${redis.prefix}:sess:`, ttl: SESSION_TTL_SECONDS, disableTouch: true }),
      secret: config.sessionSecret,
      resave: false,
      saveUninitialized: false,
      rolling: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: config.secureCookies, maxAge: SESSION_TTL_SECONDS * 1000 },
    }),
  );

  passport.serializeUser<SessionUser>((user, done) => {
    const viewer = user as Viewer;
    done(null, { id: viewer.memberId, v: viewer.sessionVersion });
  });
  passport.deserializeUser<SessionUser>((stored, done) => {
    viewerLoader.load(stored.id, stored.v).then(
      (viewer) => done(null, viewer ?? false),
      (err: unknown) => done(err),
    );
  });
  expressApp.use(passport.initialize());
  expressApp.use(passport.session());
  // Signing in starts a new session with the full lifetime; until then the session is short-lived. Both slide: a
  // session in use is saved again (new expiry in Redis and in the cookie) once 1/24 of its lifetime has gone by —
  // every 14 hours for a member (14 days), every five minutes for a visitor (2 hours).
  expressApp.use((req: Request, _res: Response, next: NextFunction) => {
    if (req.session) {
      const lifetime = (req.user ? SESSION_TTL_SECONDS : ANONYMOUS_SESSION_TTL_SECONDS) * 1000;
      const left = (req.session.cookie.expires?.getTime() ?? 0) - Date.now();
      if (left > lifetime) req.session.cookie.maxAge = lifetime;
      else if (left < lifetime - lifetime / SESSION_REFRESH_PARTS) {
        req.session.cookie.maxAge = lifetime;
        (req.session as unknown as { refreshedAt?: number }).refreshedAt = Date.now();
        // The member's index of sessions ("sign out everywhere", suspension) lives as long as their newest session.
        const viewer = req.user as Viewer | undefined;
        if (viewer) {
          sessions.track(viewer.memberId, req.sessionID).then(
            () => next(),
            (err: unknown) => next(err),
          );
          return;
        }
      }
    }
    next();
  });

  // Personal pages are never kept: whatever a signed-in member sees, and every API answer, is `no-store` (a shared
  // computer's browser or a proxy keeps nothing). Set before the route runs, so a route that chooses its own
  // caching (members' photos: `private`) replaces it; public pages and /static keep theirs.
  expressApp.use((req: Request, res: Response, next: NextFunction) => {
    if (req.user || (req.path.startsWith('/api/') && !req.path.startsWith('/api/docs'))) res.setHeader('Cache-Control', 'no-store');
    next();
  });

  expressApp.use((req: Request, res: Response, next: NextFunction) => {
    const viewer = (req.user as Viewer | undefined) ?? null;
    const cookies = parseCookies(req.headers.cookie);
    req.locale = resolveLocale({
      memberLocale: viewer?.locale,
      cookie: cookies[LOCALE_COOKIE],
      acceptLanguage: req.get('accept-language'),
      fallback: config.defaultLocale,
    });
    res.locals.locale = req.locale;
    res.locals.viewer = viewer;
    res.locals.communityName = config.communityName;
    res.locals.currentPath = req.path;
    // Where the language switcher comes back to: the page with its query (filters, page number) when it fits.
    // Never a path that leads elsewhere (`//host`), which the 404 page would otherwise echo into its forms.
    res.locals.returnTo = safeRedirectPath(req.method === 'GET' && req.originalUrl.length <= 500 ? req.originalUrl : req.path);
    res.locals.timeZone = viewer?.timeZone ?? 'Asia/Tokyo';
    res.setHeader('Content-Language', req.locale);
    if (!req.path.startsWith('/api/') && req.path !== '/health') res.locals.csrfToken = csrfTokenFor(req);
    if (req.method === 'GET') {
      res.locals.nav = nav.for(viewer, req.path);
      res.locals.flash = takeFlash(req);
      res.locals.form = takeFormState(req);
      // Header counters (the notifications bell): one cheap count each, for pages only.
      if (viewer && !req.path.startsWith('/api/') && req.path !== '/health' && !req.path.startsWith('/admin/queues')) {
        headerBadges.for(viewer, req.path).then(
          (badges) => {
            res.locals.headerBadges = badges;
            next();
          },
          (err: unknown) => next(err),
        );
        return;
      }
    }
    next();
  });

  // Bodies are parsed after the session and language are known, so a body that is too large or malformed gets a
  // complete error page (or its form back) in the visitor's language.
  expressApp.use(express.urlencoded({ extended: true, limit: '200kb', parameterLimit: 2000 }));
  expressApp.use(express.json({ limit: '200kb' }));

  const engine = new ViewEngine(root);
  class KizunaView {
    readonly path: string;
    constructor(readonly name: string) {
      this.path = engine.resolve(name);
    }
    render(options: Record<string, unknown>, callback: (err: Error | null, html?: string) => void): void {
      try {
        callback(null, engine.render(this.name, options));
      } catch (e) {
        callback(e as Error);
      }
    }
  }
  expressApp.set('view', KizunaView);
  expressApp.set('view engine', 'hbs');
}

/**
 * The headers a helmet middleware sets, found by running it once against a stand-in answer. Only for policies that
 * do not depend on the request (no nonces): it refuses a middleware that reads the request or does not finish at once.
 */
export function fixedHeaders(middleware: (req: Request, res: Response, next: (err?: unknown) => void) => void): Map<string, string> {
  const headers = new Map<string, string>();
  const req = new Proxy({} as Request, {
    get: (_target, key) => {
      throw new Error(`a fixed security header depends on the request (${String(key)})`);
    },
  });
  const res = {
    setHeader: (name: string, value: unknown) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  } as unknown as Response;
  let done = false;
  middleware(req, res, (err?: unknown) => {
    if (err) throw err instanceof Error ? err : new Error(String(err));
    done = true;
  });
  if (!done) throw new Error('the security headers middleware did not finish at once');
  return headers;
}

/** Errors raised before a controller (body too large, malformed body) go through the same filter. */
export function installErrorHandler(app: INestApplication): void {
  const filter = new HttpErrorFilter();
  (app as NestExpressApplication).use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    filter.catch(err, {
      getType: () => 'http',
      switchToHttp: () => ({ getRequest: () => req, getResponse: () => res, getNext: () => _next }),
    } as never);
  });
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const key = part.slice(0, i).trim();
    try {
      out[key] = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      out[key] = part.slice(i + 1).trim();
    }
  }
  return out;
}
