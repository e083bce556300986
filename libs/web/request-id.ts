import type { Request } from 'express';

/** The request id the logger gave this request (X-Request-Id from a proxy, else a fresh UUID), or null. */
export function requestIdOf(req: Request): string | null {
  const id = (req as Request & { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}
