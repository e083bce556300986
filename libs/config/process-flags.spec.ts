import { execFileSync, spawnSync } from 'node:child_process';
import { WEB_HEAP_GROWTH_PERCENT, WEB_SEMI_SPACE_MB, heapPolicyFlags, relaunchArgs, webProcessFlags, youngGenerationFlags } from './process-flags';

describe('webProcessFlags', () => {
  it("sizes the young generation, caps the old one only when WEB_HEAP_MB is set, and ignores nonsense", () => {
    const young = `--max-semi-space-size=${WEB_SEMI_SPACE_MB}`;
    expect(webProcessFlags({})).toEqual([young]);
    expect(webProcessFlags({ WEB_HEAP_MB: '512' })).toEqual([young, '--max-old-space-size=512']);
    expect(webProcessFlags({ WEB_HEAP_MB: 'lots' })).toEqual([young]);
    expect(webProcessFlags({ WEB_HEAP_MB: '10' })).toEqual([young]);
    expect(webProcessFlags({ WEB_SEMI_SPACE_MB: 'off' })).toEqual([]);
  });
});

describe('youngGenerationFlags', () => {
  it('gives semi-spaces of 8 MB unless told otherwise, and ignores nonsense', () => {
    expect(WEB_SEMI_SPACE_MB).toBe(8);
    expect(youngGenerationFlags({})).toEqual(['--max-semi-space-size=8']);
    expect(youngGenerationFlags({ WEB_SEMI_SPACE_MB: '16' })).toEqual(['--max-semi-space-size=16']);
    expect(youngGenerationFlags({ WEB_SEMI_SPACE_MB: 'off' })).toEqual([]);
    for (const nonsense of ['lots', '0', '65', '2.5']) expect(youngGenerationFlags({ WEB_SEMI_SPACE_MB: nonsense })).toEqual(['--max-semi-space-size=8']);
  });
});

describe('relaunchArgs', () => {
  const running = { execPath: '/opt/node/bin/node', execArgv: ['--enable-source-maps'], argv: ['/opt/node/bin/node', '/app/dist/src/main.js', '--port', '3000'] };

  it('starts the same command again with the young generation sized in front', () => {
    expect(relaunchArgs({}, running)).toEqual(['/opt/node/bin/node', '--max-semi-space-size=8', '--enable-source-maps', '/app/dist/src/main.js', '--port', '3000']);
  });

  it('does nothing when the flag is given already, in either spelling or in NODE_OPTIONS, when switched off, or over IPC', () => {
    expect(relaunchArgs({}, { ...running, execArgv: ['--max-semi-space-size=16'] })).toBeUndefined();
    expect(relaunchArgs({}, { ...running, execArgv: ['--max_semi_space_size=16'] })).toBeUndefined();
    expect(relaunchArgs({ NODE_OPTIONS: '--enable-source-maps --max-semi-space-size=4' }, running)).toBeUndefined();
    expect(relaunchArgs({ WEB_SEMI_SPACE_MB: 'off' }, running)).toBeUndefined();
    expect(relaunchArgs({ NODE_OPTIONS: '--max-semi-space-sizes' }, running)).toHaveLength(6);
    // A forked process would lose its IPC channel to the parent in a new start.
    expect(relaunchArgs({}, { ...running, channel: {} })).toBeUndefined();
  });
});

describe('heapPolicyFlags', () => {
  it('grows the heap by 35 % unless told otherwise, and ignores nonsense', () => {
    expect(WEB_HEAP_GROWTH_PERCENT).toBe(35);
    expect(heapPolicyFlags({})).toEqual(['--heap-growing-percent=35']);
    expect(heapPolicyFlags({ WEB_HEAP_GROWTH_PERCENT: '25' })).toEqual(['--heap-growing-percent=25']);
    expect(heapPolicyFlags({ WEB_HEAP_GROWTH_PERCENT: 'off' })).toEqual([]);
    for (const nonsense of ['lots', '5', '1000']) expect(heapPolicyFlags({ WEB_HEAP_GROWTH_PERCENT: nonsense })).toEqual(['--heap-growing-percent=35']);
  });

  it('starts the process once more, as the same process, with its young generation sized', () => {
    // The child applies the policy first thing, then churns objects that outlive a young-generation collection and
    // prints its process id, its flags and the young generation's size. V8 sized that from the machine's memory:
    // 2 × 64 MB on a machine with 24 GiB.
    const script = `
      import { applyHeapPolicy } from ${JSON.stringify(require.resolve('./process-flags.ts'))};
      import v8 from 'node:v8';
      applyHeapPolicy();
      const ring = new Array(100000);
      for (let i = 0; i < 2000000; i++) ring[i % ring.length] = { i, s: 'y'.repeat(64) + i };
      const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
      console.log(JSON.stringify({ pid: process.pid, execArgv: process.execArgv.filter((a) => a.startsWith('--max')), youngMb: young / 1048576, args: process.argv.slice(1) }));
    `;
    const run = (env: NodeJS.ProcessEnv) => {
      const child = spawnSync(process.execPath, ['--no-warnings', '--input-type=module', '-e', script, 'first', 'second'], {
        encoding: 'utf8',
        env: { ...process.env, NODE_OPTIONS: '', ...env },
      });
      if (child.status !== 0) throw new Error(child.stderr);
      return { started: child.pid, ...(JSON.parse(child.stdout) as { pid: number; execArgv: string[]; youngMb: number; args: string[] }) };
    };
    const sized = run({});
    expect(sized).toMatchObject({ pid: sized.started, execArgv: ['--max-semi-space-size=8'], args: ['first', 'second'] });
    expect(sized.youngMb).toBeLessThanOrEqual(16);
    expect(run({ WEB_SEMI_SPACE_MB: 'off' }).execArgv).toEqual([]);
  });

  it('keeps a churning process near its live heap once set at run time', () => {
    // 60 MB stay alive while millions of objects go through the heap, each kept across the next 100,000 allocations
    // (as a request keeps its objects while other requests run), so that many outlive a young-generation collection;
    // the largest heap V8 reserved is printed. On 2026-12-07 V8's own policy reserved about 600 MB here, a 50 % policy about 360.
    const script = `
      const v8 = require('node:v8');
      if (process.argv[1] === 'on') v8.setFlagsFromString('--heap-growing-percent=35');
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
