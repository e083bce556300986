import { Logger } from '@nestjs/common';
import type { Viewer } from '@libs/security/access-policy';
import { HomeBlockRegistry, type HomeBlockContext } from './home-blocks';

const viewer = (status: Viewer['status'], role: Viewer['role'] = 'member'): Viewer => ({ memberId: 'm1', status, role, displayName: '試験 太郎', locale: null, sessionVersion: 1 });
const context = (v: Viewer): HomeBlockContext => ({ viewer: v, locale: 'en', timeZone: 'Asia/Tokyo' });

class AskFor {
  constructor(readonly what: string, readonly memberId: string) {}
}

/** A QueryBus stand-in: answers each query with what it was asked for, failing for "broken". */
async function execute(query: object): Promise<unknown> {
  const q = query as AskFor;
  if (q.what === 'broken') throw new Error('database down');
  if (q.what === 'slow') return new Promise((resolve) => setTimeout(() => resolve('late'), 200));
  return { what: q.what, for: q.memberId };
}

describe('home block registry', () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  it('runs the blocks a viewer may see, in order, each with its own query and presenter', async () => {
    const registry = new HomeBlockRegistry();
    registry.register(
      { key: 'todo', order: 5, access: 'operator', partial: 'admin/home-block', query: (c) => new AskFor('todo', c.viewer.memberId) },
      { key: 'events', order: 20, access: 'member', partial: 'events/home-block', query: (c) => new AskFor('events', c.viewer.memberId) },
      {
        key: 'profile',
        order: 10,
        access: 'member',
        partial: 'membership/home-profile',
        wide: true,
        query: (c) => new AskFor('profile', c.viewer.memberId),
        present: (r, c) => ({ ...(r as object), locale: c.locale }),
      },
    );
    expect(registry.for(viewer('alumni')).map((b) => b.key)).toEqual(['profile', 'events']);
    expect(registry.for(viewer('employee', 'operator')).map((b) => b.key)).toEqual(['todo', 'profile', 'events']);
    expect(registry.for(viewer('pending'))).toEqual([]);
    expect(registry.for(null)).toEqual([]);

    expect(await registry.load(context(viewer('alumni')), execute)).toEqual([
      { key: 'profile', partial: 'membership/home-profile', wide: true, data: { what: 'profile', for: 'm1', locale: 'en' } },
      { key: 'events', partial: 'events/home-block', wide: false, data: { what: 'events', for: 'm1' } },
    ]);
  });

  it('leaves out a block that fails, throws while building its query, or is too slow, and renders the rest', async () => {
    const registry = new HomeBlockRegistry();
    registry.register(
      { key: 'a', order: 1, access: 'member', partial: 'x/a', query: () => new AskFor('broken', 'm1') },
      { key: 'b', order: 2, access: 'member', partial: 'x/b', query: () => new AskFor('fine', 'm1') },
      {
        key: 'c',
        order: 3,
        access: 'member',
        partial: 'x/c',
        query: () => {
          throw new Error('bad registration');
        },
      },
      { key: 'd', order: 4, access: 'member', partial: 'x/d', query: () => new AskFor('slow', 'm1') },
      { key: 'e', order: 5, access: 'member', partial: 'x/e', query: () => new AskFor('fine', 'm1'), present: () => { throw new Error('bad presenter'); } },
    );
    const blocks = await registry.load(context(viewer('alumni')), execute, 50);
    expect(blocks.map((b) => b.key)).toEqual(['b']);
    expect(Logger.prototype.warn).toHaveBeenCalledWith(expect.stringContaining('home block a left out: database down'));
    expect(Logger.prototype.warn).toHaveBeenCalledWith(expect.stringContaining('home block d left out'));
  });

  it('hides a block that says it has nothing worth showing, and registers a key once', async () => {
    const registry = new HomeBlockRegistry();
    registry.register({ key: 'p', order: 1, access: 'member', partial: 'x/p', query: () => new AskFor('fine', 'm1'), hideWhen: () => true });
    registry.register({ key: 'p', order: 0, access: 'member', partial: 'x/other', query: () => new AskFor('fine', 'm1') });
    expect(registry.for(viewer('alumni')).map((b) => b.partial)).toEqual(['x/p']);
    expect(await registry.load(context(viewer('alumni')), execute)).toEqual([]);
  });
});
