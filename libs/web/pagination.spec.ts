import { pageLinks } from './pagination';

const pages = (result: ReturnType<typeof pageLinks>) => result.links.map((l) => l.page);

describe('pageLinks', () => {
  it('shows the first and last pages and two on each side of the current one', () => {
    const result = pageLinks('/admin/members', {}, 10, 20);
    expect(pages(result)).toEqual([1, 8, 9, 10, 11, 12, 20]);
    expect(result.links.filter((l) => l.current).map((l) => l.page)).toEqual([10]);
  });

  it('does not repeat or go beyond the ends near the first page', () => {
    expect(pages(pageLinks('/x', {}, 1, 20))).toEqual([1, 2, 3, 20]);
    expect(pages(pageLinks('/x', {}, 2, 3))).toEqual([1, 2, 3]);
  });

  it('does not go beyond the last page', () => {
    expect(pages(pageLinks('/x', {}, 20, 20))).toEqual([1, 18, 19, 20]);
  });

  it('leaves the page number out of the link to page one', () => {
    const result = pageLinks('/admin/invitations', {}, 2, 3);
    expect(result.links.map((l) => l.href)).toEqual(['/admin/invitations', '/admin/invitations?page=2', '/admin/invitations?page=3']);
    expect(result.prev).toBe('/admin/invitations');
    expect(result.next).toBe('/admin/invitations?page=3');
  });

  it('keeps the filters in every link, leaving empty ones out and encoding the rest', () => {
    const result = pageLinks('/admin/members', { q: '佐藤 花子', status: 'alumni', role: undefined, empty: '' }, 1, 2);
    expect(result.links[0].href).toBe('/admin/members?q=%E4%BD%90%E8%97%A4+%E8%8A%B1%E5%AD%90&status=alumni');
    expect(result.next).toBe('/admin/members?q=%E4%BD%90%E8%97%A4+%E8%8A%B1%E5%AD%90&status=alumni&page=2');
    expect(new URL(`http://h${result.next}`).searchParams.get('q')).toBe('佐藤 花子');
  });

  it('offers no previous link on the first page and no next link on the last', () => {
    expect(pageLinks('/x', {}, 1, 5)).toMatchObject({ prev: undefined, next: '/x?page=2' });
    expect(pageLinks('/x', {}, 5, 5)).toMatchObject({ prev: '/x?page=4', next: undefined });
  });

  it('shows a single page without neighbours', () => {
    const result = pageLinks('/x', { state: 'submitted' }, 1, 1);
    expect(result.links).toEqual([{ page: 1, href: '/x?state=submitted', current: true }]);
    expect(result.prev).toBeUndefined();
    expect(result.next).toBeUndefined();
  });

  it('shows no links when there are no pages', () => {
    expect(pageLinks('/x', {}, 1, 0)).toEqual({ links: [], prev: undefined, next: undefined });
  });
});
