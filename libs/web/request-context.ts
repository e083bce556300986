import { NotFoundException, type PipeTransform } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isUuid } from '@libs/ddd/ids';
import type { Locale } from '@libs/i18n';
import type { Viewer } from '@libs/security/access-policy';

/** Who is asking: the signed-in viewer, or null for a visitor. */
export const viewerOf = (req: Request): Viewer | null => (req.user as Viewer | undefined) ?? null;

/** The signed-in viewer of a route that only members reach (`@Access('member')` and above). */
export const memberOf = (req: Request): Viewer => req.user as Viewer;

/** The language of the answer (the member's choice, else the cookie, else the browser's). */
export const localeOf = (req: Request): Locale => (req.locale === 'en' ? 'en' : 'ja');

/** The time zone the viewer reads times in. */
export const zoneOf = (res: Response): string => (res.locals.timeZone as string | undefined) ?? 'Asia/Tokyo';

/**
 * A route's id: anything that is not a uuid names nothing, the same 404 as a thing that does not exist (or that the
 * caller may not see). `notFound` gives a module its own answer (a domain error with its message).
 */
export class UuidPipe implements PipeTransform<unknown, string> {
  constructor(private readonly notFound: () => Error = () => new NotFoundException()) {}

  transform(value: unknown): string {
    if (typeof value !== 'string' || !isUuid(value)) throw this.notFound();
    return value.toLowerCase();
  }
}
