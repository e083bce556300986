import { execFileSync } from 'node:child_process';
import { WEB_HEAP_GROWTH_PERCENT, heapPolicyFlags, webProcessFlags } from './process-flags';

describe('webProcessFlags', () => {
  it('caps the old generation only when WEB_HEAP_MB is set, and ignores nonsense', () => {
    expect(webProcessFlags({})).toEqual([]);
    expect(webProcessFlags({ WEB_HEAP_MB: '512' })).toEqual(['--max-old-space-size=512']);
    expect(webProcessFlags({ WEB_HEAP_MB: 'lots' })).toEqual([]);
    expect(webProcessFlags({ WEB_HEAP_MB: '10' })).toEqual([]);
  });
});

describe('heapPolicyFlags', () => {
  it('grows the heap by 50 % unless told otherwise, and ignores nonsense', () => {
    expect(WEB_HEAP_GROWTH_PERCENT).toBe(50);
    expect(heapPolicyFlags({})).toEqual(['--heap-growing-percent=50']);
    expect(heapPolicyFlags({ WEB_HEAP_GROWTH_PERCENT: '25' })).toEqual(['--heap-growing-percent=25']);
    expect(heapPolicyFlags({ WEB_HEAP_GROWTH_PERCENT: 'off' })).toEqual([]);
    expect(heapPolicyFlags({ WEB_HEAP_GROWTH_PERCENT: 'lots' })).toEqual(['--heap-growing-percent=50']);
    expect(heapPolicyFlags({ WEB_HEAP_GROWTH_PERCENT: '5' })).toEqual(['--heap-growing-percent=50']);
    expect(heapPolicyFlags({ WEB_HEAP_GROWTH_PERCENT: '1000' })).toEqual(['--heap-growing-percent=50']);
  });

  it('keeps a churning process near its live heap once set at run time', () => {
    // 60 MB stay alive while millions of objects go through the heap, each kept across the next 100,000 allocations
    // (as a request keeps its objects while other requests run), so that many outlive a young-generation collection;
    // the largest heap V8 reserved is printed. V8's own policy reserved about 600 MB here, the 50 % policy about 360.
    const script = `
      const v8 = require('node:v8');
      if (process.argv[1] === 'on') v8.setFlagsFromString('--heap-growing-percent=50');
      const live = Array.from({ length: 60 }, () => Array.from({ length: 131072 }, (_, i) => i));
      const ring = new Array(100000); let top = 0;
      for (let i = 0; i < 3000000; i++) {
        ring[i % ring.length] = { i, s: 'y'.repeat(64) + i, a: [i, i + 1, i + 2] };
        if (i % 1000 === 0) top = Math.max(top, v8.getHeapStatistics().total_heap_size);
      }
      console.log(Math.round(top / 1048576), live.length);
    `;
    const peak = (mode: string) => Number(execFileSync(process.execPath, ['-e', script, mode], { encoding: 'utf8' }).split(' ')[0]);
    expect(peak('on')).toBeLessThan(peak('off') * 0.8);
  });
});
