import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';

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
  const web = spawn(process.execPath, [join(dirname(process.argv[1]), '..', '..', 'main.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
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
  if (web.exitCode !== null) return;
  web.kill('SIGTERM');
  await new Promise((r) => web.once('exit', r));
}
