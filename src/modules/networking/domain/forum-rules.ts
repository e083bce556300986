import { AccessPolicy, type Viewer } from '@libs/security/access-policy';

/** Who may read a board: approved members of every kind, alumni only, employees only, or operators only. */
export type BoardVisibility = 'members' | 'alumni' | 'employees' | 'operators';
/** Who may start threads on a board: any member who may read it, or operators only (お知らせ boards). */
export type ThreadStarters = 'members' | 'operators';

export interface BoardAccess {
  visibility: BoardVisibility;
  threadStarters: ThreadStarters;
  archived: boolean;
}

export interface ThreadState {
  locked: boolean;
}

/**
 * Whether the viewer may read a board at all. Pending, suspended and deleted members and visitors read no board;
 * operators read every board; alumni and employees read `members` boards and the boards of their own status.
 * A board the viewer may not read is answered as if it did not exist (404).
 */
export function canReadBoard(viewer: Viewer | null | undefined, board: Pick<BoardAccess, 'visibility'>): boolean {
  if (!AccessPolicy.isMember(viewer)) return false;
  return AccessPolicy.canSee(viewer, board.visibility);
}

/** The visibilities a viewer reads, for `visibility in (…)` in SQL. */
export function readableBoardLevels(viewer: Viewer | null | undefined): BoardVisibility[] {
  return (['members', 'alumni', 'employees', 'operators'] as const).filter((visibility) => canReadBoard(viewer, { visibility }));
}

/** Whether the viewer may start a thread: they read the board, it is not archived, and its starters include them. */
export function canStartThread(viewer: Viewer | null | undefined, board: BoardAccess): boolean {
  if (!canReadBoard(viewer, board) || board.archived) return false;
  return board.threadStarters === 'members' || AccessPolicy.isOperator(viewer);
}

/** Whether the viewer may reply: they read the board, it is not archived, and the thread is not locked. */
export function canReply(viewer: Viewer | null | undefined, board: BoardAccess, thread: ThreadState): boolean {
  return canReadBoard(viewer, board) && !board.archived && !thread.locked;
}
