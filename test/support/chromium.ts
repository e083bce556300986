import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/**
 * The Chromium the browser tests drive, found without hand work: `CHROMIUM_PATH` if set, else Debian's
 * `/usr/bin/chromium` if installed, else the headless Chromium that `npm install` brings (`@sparticuz/chromium`),
 * unpacked once into `node_modules/.cache/` (into a temporary folder first, then renamed, so two runs at once never
 * launch a half-written binary).
 */
export function findChromium(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  const pkg = join(ROOT, 'node_modules', '@sparticuz', 'chromium');
  const { version } = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string };
  const cache = join(ROOT, 'node_modules', '.cache', `kizuna-chromium-${version}`);
  const executable = join(cache, 'chromium');
  if (existsSync(executable)) return executable;
  mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
  const scratch = mkdtempSync(`${cache}-unpacking-`);
  try {
    // The package is an ES module: unpack it in a child Node process, which writes to its TMPDIR.
    execFileSync(process.execPath, ['--input-type=module', '-e', "import c from '@sparticuz/chromium'; await c.executablePath();"], {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: scratch },
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 120_000,
    });
    renameSync(scratch, cache);
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    if (!existsSync(executable)) throw error;
  }
  return executable;
}
