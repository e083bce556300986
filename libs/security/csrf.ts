import { randomBytes, timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';

export class CsrfError extends Error {
  readonly status = 403;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session's CSRF token, created on first use. */
export function csrfTokenFor(req: Request): string {
  const session = req.session as unknown as { csrfSecret?: string };
  session.csrfSecret ??= randomBytes(32).toString('base64url');
  return session.csrfSecret;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Whether an unsafe request echoes the session's token (`_csrf` field, `_csrf` query for multipart, or header). */
export function hasValidCsrfToken(req: Request): boolean {
  if (SAFE_METHODS.has(req.method)) return true;
  const expected = (req.session as unknown as { csrfSecret?: string } | undefined)?.csrfSecret;
  const body = req.body as Record<string, unknown> | undefined;
  const sent =
    (typeof body?._csrf === 'string' && body._csrf) ||
    (typeof req.query?._csrf === 'string' && req.query._csrf) ||
    req.get('x-csrf-token');
  if (!expected || !sent || !sameToken(expected, sent)) return false;
  if (body && '_csrf' in body) delete body._csrf;
  return true;
}

/** Synchronizer-token CSRF protection on every unsafe request that reaches a controller. */
@Injectable()
export class CsrfGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (!hasValidCsrfToken(context.switchToHttp().getRequest<Request>())) throw new CsrfError('csrf');
    return true;
  }
}
