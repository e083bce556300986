import { AccessPolicy, type Viewer } from '@libs/security/access-policy';

/** Who may read a board: approved members of every kind, alumni only, employees only, or operators only. */
export type BoardVisibility = 'members' | 'alumni' | 'employees' | 'operators';
/** Who may start threads on a board: any member who may read it, or operators only (お知らせ boards). */
export type ThreadStarters = 'members' | 'operators';

export interface BoardAccess {
  visibility: BoardVisibility;
  threadStarters: ThreadStarters;
  archived: boolean;
  /** Visitors and members not (yet) approved may read it too; only approved members write. */
  publicReadable?: boolean;
}

export interface ThreadState {
  locked: boolean;
  hidden?: boolean;
}

/**
 * Whether the viewer may read a board at all. Operators read every board; alumni and employees read `members`
 * boards and the boards of their own status; anyone else (visitors, pending and suspended members) reads only boards
 * marked readable by visitors. A board the viewer may not read is answered as if it did not exist (404).
 */
export function canReadBoard(viewer: Viewer | null | undefined, board: Pick<BoardAccess, 'visibility' | 'publicReadable'>): boolean {
  if (AccessPolicy.isMember(viewer)) return AccessPolicy.canSee(viewer, board.visibility);
  return board.publicReadable === true && board.visibility === 'members';
}

/** The visibilities a member reads, for `visibility in (…)` in SQL (visitors: none, plus public boards). */
export function readableBoardLevels(viewer: Viewer | null | undefined): BoardVisibility[] {
  if (!AccessPolicy.isMember(viewer)) return [];
  return (['members', 'alumni', 'employees', 'operators'] as const).filter((visibility) => canReadBoard(viewer, { visibility }));
}

/** Whether the viewer may start a thread: an approved member who reads the board, not archived, among its starters. */
export function canStartThread(viewer: Viewer | null | undefined, board: BoardAccess): boolean {
  if (!AccessPolicy.isMember(viewer) || !canReadBoard(viewer, board) || board.archived) return false;
  return board.threadStarters === 'members' || AccessPolicy.isOperator(viewer);
}

/**
 * Whether the viewer may reply: an approved member who reads the board, not archived, the thread neither locked nor
 * hidden. A locked thread takes no replies from operators either (unlock it first).
 */
export function canReply(viewer: Viewer | null | undefined, board: BoardAccess, thread: ThreadState): boolean {
  return AccessPolicy.isMember(viewer) && canReadBoard(viewer, board) && !board.archived && !thread.locked && !thread.hidden;
}

/** Whether the viewer sees a hidden thread or post (operators do, to review it). */
export function seesHidden(viewer: Viewer | null | undefined): boolean {
  return AccessPolicy.isOperator(viewer);
}

export interface PostState {
  authorId: string;
  deleted: boolean;
  hidden: boolean;
}

/** The author edits their own post while it is neither deleted nor hidden, and the thread takes replies. */
export function canEditPost(viewer: Viewer | null | undefined, board: BoardAccess, thread: ThreadState, post: PostState): boolean {
  return !!viewer && viewer.memberId === post.authorId && !post.deleted && !post.hidden && canReply(viewer, board, thread);
}

/** The author deletes their own post; operators delete any. A deleted post stays deleted. */
export function canDeletePost(viewer: Viewer | null | undefined, board: BoardAccess, post: PostState): boolean {
  if (post.deleted || !AccessPolicy.isMember(viewer) || !canReadBoard(viewer, board)) return false;
  return viewer!.memberId === post.authorId || AccessPolicy.isOperator(viewer);
}

/** The page (1-based) of a post number, `pageSize` posts a page. */
export function pageOfNumber(number: number, pageSize: number): number {
  return Math.max(1, Math.ceil(number / pageSize));
}
