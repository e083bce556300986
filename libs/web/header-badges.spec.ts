import type { Viewer } from '@libs/security/access-policy';
import type { Request } from 'express';
import { countOutOnPage, HeaderBadgeRegistry, headerBadgeCount, lowerHeaderBadge } from './header-badges';

const viewer = (status: Viewer['status']): Viewer => ({ memberId: 'm1', status, role: 'member', displayName: '試験 太郎', locale: null, sessionVersion: 1 });

describe('header badges', () => {
  it('shows members their counts, marks the current page, and nothing to visitors or applicants', async () => {
    const registry = new HeaderBadgeRegistry();
    const counted: string[] = [];
    registry.register({
      key: 'notifications',
      href: '/notifications',
      label: 'notifications.bell',
      labelWithCount: 'notifications.bellWithCount',
      access: 'member',
      order: 10,
      count: async (v) => {
        counted.push(v.memberId);
        return 3;
      },
    });
    expect(await registry.for(viewer('alumni'), '/notifications')).toEqual([
      { key: 'notifications', href: '/notifications', label: 'notifications.bell', labelWithCount: 'notifications.bellWithCount', count: 3, active: true },
    ]);
    expect((await registry.for(viewer('employee'), '/members'))[0]).toMatchObject({ count: 3, active: false });
    expect(await registry.for(viewer('pending'), '/')).toEqual([]);
    expect(await registry.for(null, '/')).toEqual([]);
    expect(counted).toEqual(['m1', 'm1']);
  });

  it('shows a badge whose count fails as zero instead of failing the page', async () => {
    const registry = new HeaderBadgeRegistry();
    registry.register({ key: 'x', href: '/x', label: 'a', labelWithCount: 'b', access: 'signed-in', order: 1, count: () => Promise.reject(new Error('down')) });
    expect(await registry.for(viewer('alumni'), '/')).toEqual([expect.objectContaining({ key: 'x', count: 0 })]);
  });
});

describe('headerBadgeCount', () => {
  const request = (locals: Record<string, unknown> | undefined) => ({ res: locals ? { locals } : undefined }) as unknown as Request;

  it("says the count a badge shows on this page, and nothing where the page has no badges", () => {
    const badges = [
      { key: 'notifications', href: '/notifications', label: 'a', labelWithCount: 'b', count: 0, active: false },
      { key: 'chat', href: '/chat', label: 'c', labelWithCount: 'd', count: 3, active: false },
    ];
    expect(headerBadgeCount(request({ headerBadges: badges }), 'notifications')).toBe(0);
    expect(headerBadgeCount(request({ headerBadges: badges }), 'chat')).toBe(3);
    expect(headerBadgeCount(request({ headerBadges: badges }), 'other')).toBeUndefined();
    expect(headerBadgeCount(request({}), 'notifications')).toBeUndefined();
    expect(headerBadgeCount(request(undefined), 'notifications')).toBeUndefined();
  });

  it('counts out what the route just marked read, never below zero', () => {
    const badges = [{ key: 'notifications', href: '/notifications', label: 'a', labelWithCount: 'b', count: 3, active: false }];
    const req = request({ headerBadges: badges });
    lowerHeaderBadge(req, 'notifications', 2);
    expect(headerBadgeCount(req, 'notifications')).toBe(1);
    lowerHeaderBadge(req, 'notifications', 5);
    expect(headerBadgeCount(req, 'notifications')).toBe(0);
    lowerHeaderBadge(request(undefined), 'notifications', 1);
  });

  it('marks what a page shows as read only when its badge shows some, and counts them out', async () => {
    const badges = [{ key: 'notifications', href: '/notifications', label: 'a', labelWithCount: 'b', count: 0, active: false }];
    const mark = jest.fn(async () => ({ marked: 1 }));
    await countOutOnPage(request({ headerBadges: badges }), 'notifications', mark);
    expect(mark).not.toHaveBeenCalled();
    badges[0].count = 2;
    await countOutOnPage(request({ headerBadges: badges }), 'notifications', mark);
    expect(mark).toHaveBeenCalledTimes(1);
    expect(badges[0].count).toBe(1);
    // A page without badges (nothing known) marks anyway.
    await countOutOnPage(request(undefined), 'notifications', mark);
    expect(mark).toHaveBeenCalledTimes(2);
  });
});
