import { setFlagsFromString } from 'node:v8';

/**
 * Node flags of the web process: `--max-old-space-size=WEB_HEAP_MB` when WEB_HEAP_MB is set. A hard cap: near it the
 * process collects garbage again and again (with 160 MB the forum's thread page cost about three times the CPU, see
 * docs/BENCHMARKS.md, forum), so it is for machines where memory is scarcer than CPU. Unset by default: the heap policy
 * below keeps a busy process near 250 MB without it.
 */
export function webProcessFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.WEB_HEAP_MB === undefined || env.WEB_HEAP_MB === '') return [];
  const mb = Number(env.WEB_HEAP_MB);
  return Number.isInteger(mb) && mb >= 64 ? [`--max-old-space-size=${mb}`] : [];
}

/**
 * How far V8 lets the old generation grow past what was still alive at the last full collection, in per cent. V8's own
 * choice is up to 300 % on a process that collects quickly — a web process whose live heap is about 75 MB grew to
 * 460–550 MB resident under load. 50 % keeps it at about 240 MB for a few per cent more collection work.
 */
export const WEB_HEAP_GROWTH_PERCENT = 50;

/** The V8 flags of the web process's heap policy: `WEB_HEAP_GROWTH_PERCENT` (10–300, or `off` for V8's own). */
export function heapPolicyFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  const given = env.WEB_HEAP_GROWTH_PERCENT?.trim();
  if (given === 'off') return [];
  const percent = given ? Number(given) : WEB_HEAP_GROWTH_PERCENT;
  return [`--heap-growing-percent=${Number.isInteger(percent) && percent >= 10 && percent <= 300 ? percent : WEB_HEAP_GROWTH_PERCENT}`];
}

/**
 * Applies the heap policy to the running process. V8 reads the flag whenever it sets the next collection's limit, so
 * setting it first thing at start-up works however the process was launched (`npm start`, the image, a benchmark).
 */
export function applyHeapPolicy(env: NodeJS.ProcessEnv = process.env): string[] {
  const flags = heapPolicyFlags(env);
  for (const flag of flags) setFlagsFromString(flag);
  return flags;
}
