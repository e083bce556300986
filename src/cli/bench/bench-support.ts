import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { webProcessFlags } from '@libs/config/process-flags';

/** Signs in through the login form as a browser would; answers the session cookie. */
export async function signIn(base: string, email: string, password = 'Kizuna-demo-2026'): Promise<string> {
  const page = await fetch(`${base}/login`);
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0];
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, email, password }),
  });
  if (res.status !== 303) throw new Error(`sign-in failed for ${email}: ${res.status}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0];
}

/** Starts the built web process with `env` and waits until /health answers. */
export async function startWeb(base: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ChildProcess> {
  const web = spawn(process.execPath, [...webProcessFlags(env), join(dirname(process.argv[1]), '..', '..', 'main.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const started = Date.now();
  while (!(await fetch(`${base}/health`).then((r) => r.ok, () => false))) {
    if (Date.now() - started > timeoutMs || web.exitCode !== null) {
      web.kill('SIGTERM');
      throw new Error('the web process did not start');
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return web;
}

export async function stopWeb(web: ChildProcess): Promise<void> {
  if (web.exitCode !== null || web.signalCode !== null) return;
  web.kill('SIGTERM');
  await new Promise((r) => web.once('exit', r));
}

/** User + system CPU (ms) of one process from /proc/<pid>/stat, and its parent's pid. */
function processCpu(pid: string): { ms: number; parent: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').trim();
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / 100, parent: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

/**
 * CPU time (user + system, in ms) a process and its child processes (the web processes WEB_PROCESSES starts) have used
 * so far, from /proc (Linux); undefined elsewhere. Read before and after a measured phase, it gives the web side's CPU
 * per request, which a busy machine changes far less than it changes latency.
 */
export function cpuTimeMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  const own = processCpu(String(pid));
  if (!own) return undefined;
  let total = own.ms;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const child = processCpu(entry);
    if (child && child.parent === pid) total += child.ms;
  }
  return total;
}
