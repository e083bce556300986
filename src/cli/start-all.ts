import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { webProcessFlags } from '@libs/config/process-flags';
import { prepareEnvironment } from '../bootstrap';

/**
 * `npm start`: finds PostgreSQL and Redis (see README), then runs the web process and, once it is up (migrations
 * applied), the worker process. Ctrl-C stops both.
 */
async function main(): Promise<void> {
  const { stopDatabase } = await prepareEnvironment({ startRedis: true });
  const env = { ...process.env };
  const children: ChildProcess[] = [];
  let stopping = false;

  const run = (name: string, script: string, flags: string[] = []) => {
    const child = spawn(process.execPath, [...flags, join(dirname(process.argv[1]), '..', script)], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code) => {
      if (!stopping) {
        console.error(`${name} process exited (code ${code}); stopping.`);
        void stop(code ?? 1);
      }
    });
    children.push(child);
    return child;
  };

  const stop = async (code = 0) => {
    stopping = true;
    await Promise.all(
      children.map((c) => new Promise<void>((resolve) => (c.exitCode !== null ? resolve() : (c.once('exit', () => resolve()), c.kill('SIGTERM'))))),
    );
    await stopDatabase?.();
    process.exit(code);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());

  run('web', 'main.js', webProcessFlags());
  const port = Number(process.env.PORT ?? 3000);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline || stopping) {
      console.error('The web process did not become healthy within 2 minutes.');
      return stop(1);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  run('worker', 'worker.js');
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
