/**
 * What a test file opened (Nest applications, Chromium), so that it is closed at the end of the file even when the
 * `beforeAll` that opened it threw halfway — otherwise its Redis and database connections keep Jest from exiting.
 * `after-env.ts` closes whatever is still open after every test file; closing is idempotent, so a suite's own
 * `afterAll` may close the same thing first.
 */
interface Tracked {
  name: string;
  close: () => Promise<unknown>;
}

const open: Tracked[] = [];

/** Registers `resource` and makes its `close()` run once however often it is called. Returns the resource. */
export function track<T extends { close(): Promise<unknown> }>(resource: T, name: string): T {
  const original = resource.close.bind(resource) as () => Promise<unknown>;
  let closing: Promise<unknown> | undefined;
  const entry: Tracked = {
    name,
    close: () => {
      closing ??= original().finally(() => {
        const i = open.indexOf(entry);
        if (i >= 0) open.splice(i, 1);
      });
      return closing;
    },
  };
  resource.close = entry.close as T['close'];
  open.push(entry);
  return resource;
}

/** Closes everything still open, newest first; one failing close does not keep the others open. */
export async function closeTracked(): Promise<void> {
  const failures: string[] = [];
  for (const entry of [...open].reverse()) {
    await entry.close().catch((e: unknown) => failures.push(`${entry.name}: ${e instanceof Error ? e.message : String(e)}`));
  }
  open.length = 0;
  if (failures.length) console.warn(`Could not close cleanly after the test file:\n${failures.join('\n')}`);
}

/** How many tracked resources are still open (for the safety net's message). */
export function openCount(): number {
  return open.length;
}
