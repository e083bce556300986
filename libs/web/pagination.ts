export interface PageLink {
  page: number;
  href: string;
  current: boolean;
}

/** Links for a pager: first, last, and the pages around the current one. */
export function pageLinks(basePath: string, query: Record<string, string | string[] | undefined>, page: number, pages: number): { links: PageLink[]; prev?: string; next?: string } {
  const href = (p: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) for (const one of Array.isArray(v) ? v : [v]) if (one) params.append(k, one);
    if (p > 1) params.set('page', String(p));
    const qs = params.toString();
    return qs ? `${basePath}?${qs}` : basePath;
  };
  const wanted = new Set([1, pages, page - 2, page - 1, page, page + 1, page + 2].filter((p) => p >= 1 && p <= pages));
  const links = [...wanted].sort((a, b) => a - b).map((p) => ({ page: p, href: href(p), current: p === page }));
  return { links, prev: page > 1 ? href(page - 1) : undefined, next: page < pages ? href(page + 1) : undefined };
}
