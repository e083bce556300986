import type { Request } from 'express';
import type { Viewer } from '@libs/security/access-policy';
import type { SessionRegistry } from '@libs/web/session-registry';

/** Starts a fresh session for the viewer (passport regenerates the session id) and remembers it for log-out-everywhere. */
export async function signIn(req: Request, viewer: Viewer, sessions: SessionRegistry): Promise<void> {
  await new Promise<void>((resolve, reject) => req.login(viewer, (err) => (err ? reject(err as Error) : resolve())));
  await sessions.track(viewer.memberId, req.sessionID);
}
