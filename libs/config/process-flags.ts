import { setFlagsFromString } from 'node:v8';

/**
 * Node flags that launchers (`npm start`, the benchmarks) put in front of the web process: its young generation's size
 * (below; the process would otherwise start itself again to apply it) and `--max-old-space-size=WEB_HEAP_MB` when
 * WEB_HEAP_MB is set. That is a hard cap: near it the process collects garbage again and again (with 160 MB the forum's
 * thread page cost about three times the CPU, see docs/BENCHMARKS.md, forum), so it is for machines where memory is
 * scarcer than CPU. Unset by default: the heap policy below keeps a busy process near 250 MB without it.
 */
export function webProcessFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  const young = youngGenerationFlags(env);
  if (env.WEB_HEAP_MB === undefined || env.WEB_HEAP_MB === '') return young;
  const mb = Number(env.WEB_HEAP_MB);
  return Number.isInteger(mb) && mb >= 64 ? [...young, `--max-old-space-size=${mb}`] : young;
}

/**
 * How far V8 lets the old generation grow past what was still alive at the last full collection, in per cent. V8's own
 * choice is up to 300 % on a process that collects quickly — a web process whose live heap is about 75–90 MB grew to
 * 440–550 MB resident under load. 35 % (with the young generation below) kept it at 249–259 MB.
 */
export const WEB_HEAP_GROWTH_PERCENT = 35;

/** The V8 flags of the web process's heap policy: `WEB_HEAP_GROWTH_PERCENT` (10–300, or `off` for V8's own). */
export function heapPolicyFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  const given = env.WEB_HEAP_GROWTH_PERCENT?.trim();
  if (given === 'off') return [];
  const percent = given ? Number(given) : WEB_HEAP_GROWTH_PERCENT;
  return [`--heap-growing-percent=${Number.isInteger(percent) && percent >= 10 && percent <= 300 ? percent : WEB_HEAP_GROWTH_PERCENT}`];
}

/**
 * The largest semi-space of the web process's young generation, MB. V8 sizes it from the machine's memory: with 24 GiB
 * it lets the young generation reach 2 × 64 MB, which alone made a busy web process 100–120 MB larger (the same
 * commit measured 245 MB on one machine and 360–380 MB on another). 8 MB gives every machine the same process, for
 * more frequent young collections: in alternated runs the forum's 50-post page cost 20–30 % more CPU, the 20-post
 * page no difference beyond run-to-run noise (docs/BENCHMARKS.md, forum).
 */
export const WEB_SEMI_SPACE_MB = 8;

/** `--max-semi-space-size` from `WEB_SEMI_SPACE_MB` (1–64, or `off` for V8's own sizing). */
export function youngGenerationFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  const given = env.WEB_SEMI_SPACE_MB?.trim();
  if (given === 'off') return [];
  const mb = given ? Number(given) : WEB_SEMI_SPACE_MB;
  return [`--max-semi-space-size=${Number.isInteger(mb) && mb >= 1 && mb <= 64 ? mb : WEB_SEMI_SPACE_MB}`];
}

/**
 * The command line to start this process again with, when its young generation is not sized yet: V8 reads that flag
 * only when the process starts, so the web process replaces itself (same process id, `process.execve`) once, first
 * thing, with the flag in front. Nothing when the flag is already given (on the command line or in NODE_OPTIONS) or
 * switched off, or when the process talks to its parent over IPC.
 */
export function relaunchArgs(
  env: NodeJS.ProcessEnv,
  process: { execPath: string; execArgv: string[]; argv: string[]; channel?: unknown },
): string[] | undefined {
  // A process with an IPC channel (fork, cluster, process managers) would lose it in a new start: its launcher passes
  // the flag (webProcessFlags) or V8's own size holds.
  if (process.channel) return undefined;
  const flags = youngGenerationFlags(env);
  const given = [...process.execArgv, ...(env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (flags.length === 0 || given.some((a) => /^--max[-_]semi[-_]space[-_]size(=|$)/.test(a))) return undefined;
  return [process.execPath, ...flags, ...process.execArgv, ...process.argv.slice(1)];
}

/**
 * Applies the heap policy to the running process. The growth flag is read whenever V8 sets the next collection's
 * limit, so setting it first thing works however the process was launched (`npm start`, the image, a benchmark); the
 * young generation's size needs a new start (`relaunchArgs`).
 */
export function applyHeapPolicy(env: NodeJS.ProcessEnv = process.env): string[] {
  const args = relaunchArgs(env, process);
  if (args && typeof process.execve === 'function') {
    try {
      process.execve(process.execPath, args, env);
    } catch (e) {
      // Without the new start the process runs on with V8's own young generation.
      process.emitWarning(`the web process could not start itself again with ${args[1]}: ${(e as Error).message}`);
    }
  }
  const flags = heapPolicyFlags(env);
  for (const flag of flags) setFlagsFromString(flag);
  return flags;
}
