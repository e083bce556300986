import { webProcessFlags } from './process-flags';

describe('webProcessFlags', () => {
  it('caps the old generation only when WEB_HEAP_MB is set, and ignores nonsense', () => {
    expect(webProcessFlags({})).toEqual([]);
    expect(webProcessFlags({ WEB_HEAP_MB: '512' })).toEqual(['--max-old-space-size=512']);
    expect(webProcessFlags({ WEB_HEAP_MB: 'lots' })).toEqual([]);
    expect(webProcessFlags({ WEB_HEAP_MB: '10' })).toEqual([]);
  });
});
