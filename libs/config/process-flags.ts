/**
 * Node flags of the web process. V8 grows its old generation lazily up to a limit derived from the machine's memory
 * (several GB here), so a busy web process kept over 500 MB resident although it needs about 200; a cap of
 * WEB_HEAP_MB (default 160 MB of old generation) keeps it near 200 MB with no measurable loss of throughput
 * (docs/BENCHMARKS.md, forum). The worker keeps V8's default: it decodes images.
 */
export function webProcessFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  const mb = Number(env.WEB_HEAP_MB ?? 160);
  return Number.isInteger(mb) && mb >= 64 ? [`--max-old-space-size=${mb}`] : [];
}
