import { PersonalDataRegistry } from './personal-data-registry';

describe('the personal-data registry', () => {
  it('keeps one section per key, the first registered, in key order', () => {
    const registry = new PersonalDataRegistry();
    const first = { key: 'forum', query: (id: string) => ({ id, first: true }) };
    registry.register({ key: 'content', query: (id) => ({ id }) }, first);
    registry.register({ key: 'forum', query: (id) => ({ id, first: false }) });
    expect(registry.all().map((s) => s.key)).toEqual(['content', 'forum']);
    expect(registry.all()[1].query('m1')).toEqual({ id: 'm1', first: true });
  });
});
