/**
 * Node flags of the web process: `--max-old-space-size=WEB_HEAP_MB` when WEB_HEAP_MB is set. V8 grows its old
 * generation lazily toward a limit derived from the machine's memory, so a busy web process can stay at 500 MB
 * resident; a cap keeps it lower, at a price in garbage collection: with 160 MB the forum's thread page cost about
 * three times the CPU (docs/BENCHMARKS.md, forum). Unset by default.
 */
export function webProcessFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.WEB_HEAP_MB === undefined || env.WEB_HEAP_MB === '') return [];
  const mb = Number(env.WEB_HEAP_MB);
  return Number.isInteger(mb) && mb >= 64 ? [`--max-old-space-size=${mb}`] : [];
}
