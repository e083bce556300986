import { Controller, Get, Logger, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { QueryBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { AppConfig } from '@libs/config';
import { Access } from '@libs/security/access.decorator';
import { ListEventsQuery, type EventListTab } from '@modules/events/contracts';
import { ListBoardsQuery } from '@modules/networking/contracts';
import { ListPublicContentQuery } from '../contracts';
import { xml } from './content-view';

/** Public items in the sitemap (the newest; a sitemap file holds at most 50,000 addresses). */
const SITEMAP_ITEMS = 5000;

interface SitemapEntry {
  loc: string;
  lastmod?: Date | null;
}

/**
 * /sitemap.xml: what a visitor may read — the home page, /content and every public published item, and the public
 * pages other modules' contracts list for visitors (forum boards readable signed out, public events).
 */
@ApiExcludeController()
@Controller()
export class SitemapController {
  private readonly logger = new Logger('Sitemap');

  constructor(
    private readonly queries: QueryBus,
    private readonly config: AppConfig,
  ) {}

  @Get('sitemap.xml')
  @Access('public')
  async sitemap(@Res() res: Response): Promise<void> {
    const base = this.config.baseUrl;
    const items = await this.queries.execute(new ListPublicContentQuery(SITEMAP_ITEMS));
    const newest = items.reduce<Date | null>((max, i) => (!max || new Date(i.updatedAt) > max ? new Date(i.updatedAt) : max), null);
    const entries: SitemapEntry[] = [
      { loc: `${base}/` },
      { loc: `${base}/content`, lastmod: newest },
      ...items.map((i) => ({ loc: i.url, lastmod: i.updatedAt })),
      ...(await this.others(base)),
    ];
    const body = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
      ...entries.map((e) => `  <url><loc>${xml(e.loc)}</loc>${e.lastmod ? `<lastmod>${new Date(e.lastmod).toISOString()}</lastmod>` : ''}</url>`),
      '</urlset>',
      '',
    ].join('\n');
    res.status(200);
    res.setHeader('Content-Type', 'application/xml; charset=utf-8');
    res.setHeader('Cache-Control', 'public, max-age=900');
    res.send(body);
  }

  /** Other modules' pages for visitors, each as its contract lists them; a module that fails is left out. */
  private async others(base: string): Promise<SitemapEntry[]> {
    const safely = async <T>(what: string, work: () => Promise<T[]>): Promise<T[]> => {
      try {
        return await work();
      } catch (e) {
        this.logger.warn(`${what} left out of the sitemap: ${(e as Error).message}`);
        return [];
      }
    };
    const boards = (await safely('forum boards', () => this.queries.execute(new ListBoardsQuery(null, 'ja')))).filter((b) => b.publicReadable && !b.archived);
    const events = await safely('events', async () =>
      (await Promise.all((['upcoming', 'past'] as EventListTab[]).map((tab) => this.queries.execute(new ListEventsQuery(null, { tab }, 1))))).flatMap((p) => p.items),
    );
    return [
      ...(boards.length ? [{ loc: `${base}/forum` }] : []),
      ...boards.map((b) => ({ loc: `${base}/forum/b/${b.id}`, lastmod: b.lastPostAt })),
      ...(events.length ? [{ loc: `${base}/events` }] : []),
      ...events.map((e) => ({ loc: `${base}/events/${e.id}` })),
    ];
  }
}
