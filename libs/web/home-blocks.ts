import { Injectable, Logger } from '@nestjs/common';
import type { Locale } from '@libs/i18n';
import { AccessPolicy, type AccessLevel, type Viewer } from '@libs/security/access-policy';

/** What a block's query and presenter know about the page view. */
export interface HomeBlockContext {
  viewer: Viewer;
  locale: Locale;
  /** IANA time zone the viewer reads times in. */
  timeZone: string;
  /**
   * The count a header badge (`HeaderBadgeRegistry`) shows on this page view, when the page has it: a block that shows
   * the same count passes it to its query instead of counting again.
   */
  headerCount?: (key: string) => number | undefined;
}

/**
 * A block on a member's home page, contributed by the module that owns its data. The module registers it at start-up
 * (`HomeBlockRegistry.register`, usually in its web module's `onModuleInit`); the home page runs every block the
 * viewer may see through the QueryBus at once and renders each with the module's own partial. The home page never
 * knows the module's tables or views.
 */
export interface HomeBlock<R = unknown> {
  /** Names the block in the page (`home-block-<key>`) and in logs. */
  key: string;
  /** Smaller first. */
  order: number;
  /** Who gets the block (the home page shows blocks to approved members only). */
  access: AccessLevel;
  /** The module partial that renders the block, e.g. `events/home-block` (`src/modules/events/web/views/partials/home-block.hbs`). */
  partial: string;
  /** Spans the whole width of the page (a prompt) rather than one column. */
  wide?: boolean;
  /** The query from the module's contracts, built for this page view. */
  query: (context: HomeBlockContext) => object;
  /** Shapes the query's answer for the partial (texts in the reader's language, times in their zone). */
  present?: (result: R, context: HomeBlockContext) => unknown;
  /** Leaves the block out when it has nothing worth showing (the completed profile prompt). */
  hideWhen?: (data: unknown) => boolean;
}

export interface HomeBlockView {
  key: string;
  partial: string;
  wide: boolean;
  data: unknown;
}

/** A block that has not answered after this long is left out, so that one slow module cannot hold the page. */
export const HOME_BLOCK_TIMEOUT_MS = 3000;

/** The registered home blocks; see HomeBlock. */
@Injectable()
export class HomeBlockRegistry {
  private readonly logger = new Logger(HomeBlockRegistry.name);
  private readonly blocks: HomeBlock[] = [];

  /** Registers blocks; a key is registered once (the first registration stays). */
  register<R>(...blocks: HomeBlock<R>[]): void {
    for (const block of blocks) {
      if (!this.blocks.some((b) => b.key === block.key)) this.blocks.push(block as HomeBlock);
    }
    this.blocks.sort((a, b) => a.order - b.order || a.key.localeCompare(b.key));
  }

  /** The blocks this viewer may see, in order. */
  for(viewer: Viewer | null): HomeBlock[] {
    return this.blocks.filter((b) => AccessPolicy.meets(viewer, b.access));
  }

  /**
   * Runs the viewer's blocks in parallel through `execute` (the QueryBus) and answers them in order. A block whose
   * query or presenter fails, or that does not answer within the timeout, is logged and left out: the page still
   * renders.
   */
  async load(context: HomeBlockContext, execute: (query: object) => Promise<unknown>, timeoutMs = HOME_BLOCK_TIMEOUT_MS): Promise<HomeBlockView[]> {
    const blocks = this.for(context.viewer);
    const settled = await Promise.all(
      blocks.map(async (block): Promise<HomeBlockView | null> => {
        let timer: NodeJS.Timeout | undefined;
        try {
          const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer after ${timeoutMs} ms`)), timeoutMs);
          });
          const result = await Promise.race([Promise.resolve().then(() => execute(block.query(context))), timeout]);
          const data = block.present ? block.present(result, context) : result;
          if (block.hideWhen?.(data)) return null;
          return { key: block.key, partial: block.partial, wide: !!block.wide, data };
        } catch (e) {
          this.logger.warn(`home block ${block.key} left out: ${(e as Error).message}`);
          return null;
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    return settled.filter((b): b is HomeBlockView => b !== null);
  }
}
