import type { Viewer } from './access-policy';

/** Loads the signed-in person for a session; provided by the Membership module. */
export interface ViewerLoader {
  /** The viewer, or null when the account is gone, suspended or the session was ended (version changed). */
  load(memberId: string, sessionVersion: number): Promise<Viewer | null>;
}
export const VIEWER_LOADER = Symbol('VIEWER_LOADER');
