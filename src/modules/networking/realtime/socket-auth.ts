import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AppConfig } from '@libs/config';
import { resolveLocale, type Locale } from '@libs/i18n';
import { RedisConnections } from '@libs/queue/redis-connections';
import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import { VIEWER_LOADER, type ViewerLoader } from '@libs/security/viewer-loader';
import { LOCALE_COOKIE, parseCookies, SESSION_COOKIE } from '@libs/web/web-platform';

/** Why a handshake (or, later, an event) is refused: the `message` of the client's `connect_error`. */
export type SocketRefusal = 'forbidden-origin' | 'unauthorized' | 'forbidden';

export class SocketRefusedError extends Error {
  constructor(readonly code: SocketRefusal) {
    super(code);
  }
}

/**
 * express-session's signed cookie value (`s:<sid>.<signature>`, HMAC-SHA256 in unpadded base64, the cookie-signature
 * format) back to the session id; null when it was not signed with `secret`.
 */
export function unsignSessionCookie(value: string | undefined, secret: string): string | null {
  if (!value || !value.startsWith('s:')) return null;
  const signed = value.slice(2);
  const dot = signed.lastIndexOf('.');
  if (dot <= 0) return null;
  const sid = signed.slice(0, dot);
  const expected = Buffer.from(`${sid}.${createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '')}`);
  const given = Buffer.from(signed);
  return expected.length === given.length && timingSafeEqual(expected, given) ? sid : null;
}

/** What a socket carries after its handshake (`socket.data`). */
export interface SocketIdentity {
  memberId: string;
  sid: string;
  viewer: Viewer;
  /** The language of the browser when the member has not chosen one (cookie, then Accept-Language). */
  browserLocale: Locale;
}

export interface HandshakeLike {
  headers: Record<string, string | string[] | undefined>;
}

function header(handshake: HandshakeLike, name: string): string | undefined {
  const value = handshake.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The socket side of the pages' sign-in: the same `kizuna.sid` cookie, unsigned with the session secret, the session
 * read from the same Redis store, and its passport user `{id, v}` loaded by the same viewer loader.
 */
@Injectable()
export class SocketAuthenticator {
  private readonly origin: string;
  private loader: ViewerLoader | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly redis: RedisConnections,
    private readonly moduleRef: ModuleRef,
  ) {
    this.origin = new URL(config.baseUrl).origin;
  }

  /** The Membership module's loader, as the session middleware finds it. */
  private get viewers(): ViewerLoader {
    this.loader ??= this.moduleRef.get<ViewerLoader>(VIEWER_LOADER, { strict: false });
    return this.loader;
  }

  /** Checks the handshake; throws SocketRefusedError with the refusal the client sees. */
  async authenticate(handshake: HandshakeLike): Promise<SocketIdentity> {
    // Browsers always send Origin on a WebSocket or cross-origin request; none at all is not a browser on our pages.
    if (header(handshake, 'origin') !== this.origin) throw new SocketRefusedError('forbidden-origin');
    const cookies = parseCookies(header(handshake, 'cookie'));
    const sid = unsignSessionCookie(cookies[SESSION_COOKIE], this.config.sessionSecret);
    if (!sid) throw new SocketRefusedError('unauthorized');
    const viewer = await this.viewerOf(sid);
    if (!viewer) throw new SocketRefusedError('unauthorized');
    if (!AccessPolicy.isMember(viewer)) throw new SocketRefusedError('forbidden');
    const browserLocale = resolveLocale({ cookie: cookies[LOCALE_COOKIE], acceptLanguage: header(handshake, 'accept-language'), fallback: this.config.defaultLocale });
    return { memberId: viewer.memberId, sid, viewer, browserLocale };
  }

  /**
   * The socket's viewer now: null when the session was ended (signed out, "sign out everywhere", expired), the
   * account is suspended or deleted, it is a different member, or no longer an approved member.
   */
  async reload(identity: SocketIdentity): Promise<Viewer | null> {
    const viewer = await this.viewerOf(identity.sid);
    if (!viewer || viewer.memberId !== identity.memberId || !AccessPolicy.isMember(viewer)) return null;
    identity.viewer = viewer;
    return viewer;
  }

  private async viewerOf(sid: string): Promise<Viewer | null> {
    const raw = await this.redis.client.get(`${this.redis.prefix}:sess:${sid}`);
    if (!raw) return null;
    let user: unknown;
    try {
      user = (JSON.parse(raw) as { passport?: { user?: unknown } }).passport?.user;
    } catch {
      return null;
    }
    if (!user || typeof user !== 'object') return null;
    const { id, v } = user as { id?: unknown; v?: unknown };
    if (typeof id !== 'string' || typeof v !== 'number') return null;
    return this.viewers.load(id, v);
  }
}

/** The language of answers on this socket: the member's own choice, else their browser's. */
export function socketLocale(identity: SocketIdentity): Locale {
  return identity.viewer.locale ?? identity.browserLocale;
}
