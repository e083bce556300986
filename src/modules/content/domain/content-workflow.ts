import type { ContentAction, ContentStatus, RevisionStatus } from '../contracts/content';
import { ContentTransitionError } from './content.errors';

/** Where an item is in its workflow. */
export interface WorkflowState {
  status: ContentStatus;
  /** The pending revision of a published item, or null. */
  revisionStatus: RevisionStatus | null;
  /** The item was online at some point (a draft never published may be discarded by its author). */
  everPublished: boolean;
}

/** Who acts, relative to the item. */
export interface WorkflowActor {
  isAuthor: boolean;
  isOperator: boolean;
}

/**
 * What the application must do besides storing the new state:
 * - `save-working`: write the edit to the working version (the item is not online, or an operator edits it);
 * - `save-revision`: write the edit to the pending revision (the published version stays online);
 * - `publish-now`: the working version (or the submitted revision) becomes the published version now;
 * - `schedule`: publish at the given time (a delayed job; a changed time replaces the earlier one);
 * - `cancel-schedule`: the schedule is dropped;
 * - `take-offline`: the published version is no longer shown;
 * - `drop-revision`: the pending revision is thrown away (the published version stays);
 * - `delete`: the item is removed;
 * - `none`: only the state changes.
 */
export type WorkflowEffect =
  | 'save-working'
  | 'save-revision'
  | 'publish-now'
  | 'schedule'
  | 'cancel-schedule'
  | 'take-offline'
  | 'drop-revision'
  | 'delete'
  | 'none';

export interface WorkflowOutcome {
  status: ContentStatus;
  revisionStatus: RevisionStatus | null;
  effect: WorkflowEffect;
  /** The author is told of an operator's decision (published from review, scheduled, returned, declined). */
  notifyAuthor: 'published' | 'scheduled' | 'returned' | 'declined' | null;
  /** The change acts on the pending revision rather than the item. */
  onRevision: boolean;
}

export interface TransitionOptions {
  /** publish: a time in the future schedules instead of publishing now. */
  at?: Date | null;
  now?: Date;
}

const outcome = (
  status: ContentStatus,
  revisionStatus: RevisionStatus | null,
  effect: WorkflowEffect,
  extra: Partial<Pick<WorkflowOutcome, 'notifyAuthor' | 'onRevision'>> = {},
): WorkflowOutcome => ({ status, revisionStatus, effect, notifyAuthor: extra.notifyAuthor ?? null, onRevision: extra.onRevision ?? false });

/**
 * The content workflow as one state machine: every command asks it before changing anything, so the pages and the
 * JSON API obey the same rules (a member cannot publish, nor edit someone else's item, whatever they send).
 *
 * Members (authors): draft → submit → (returned → edit → submit …); withdraw a submission; discard a draft never
 * published. Editing a published item writes a pending revision that goes through review while the published version
 * stays online. Operators: publish or schedule what was submitted (and their own items directly), return with a
 * comment, decline, unpublish, re-publish an unpublished or declined item, edit anything (an edit of a published item
 * is online at once).
 *
 * Throws ContentTransitionError when the action is not allowed for this actor in this state.
 */
export function transition(state: WorkflowState, action: ContentAction, actor: WorkflowActor, options: TransitionOptions = {}): WorkflowOutcome {
  const { status, revisionStatus } = state;
  const { isAuthor, isOperator } = actor;
  const deny = (): never => {
    throw new ContentTransitionError(action, status);
  };
  if (!isAuthor && !isOperator) deny();
  const now = options.now ?? new Date();
  const later = options.at !== null && options.at !== undefined && options.at.getTime() > now.getTime();

  switch (action) {
    case 'create':
      return deny();

    case 'edit':
      switch (status) {
        case 'draft':
        case 'returned':
        case 'submitted':
        case 'unpublished':
          return outcome(status, null, 'save-working');
        case 'declined':
        case 'scheduled':
          return isOperator ? outcome(status, null, 'save-working') : deny();
        case 'published':
          if (isOperator) return outcome('published', revisionStatus, 'publish-now');
          return outcome('published', revisionStatus ?? 'draft', 'save-revision', { onRevision: true });
      }
      return deny();

    case 'submit':
      if (!isAuthor) return deny();
      if (status === 'draft' || status === 'returned' || status === 'unpublished') return outcome('submitted', null, 'none');
      if (status === 'published' && (revisionStatus === 'draft' || revisionStatus === 'returned')) {
        return outcome('published', 'submitted', 'none', { onRevision: true });
      }
      return deny();

    case 'withdraw':
      if (!isAuthor) return deny();
      if (status === 'submitted') return outcome('draft', null, 'none');
      if (status === 'published' && revisionStatus === 'submitted') return outcome('published', 'draft', 'none', { onRevision: true });
      return deny();

    case 'publish': {
      if (!isOperator) return deny();
      // The author hears of an operator's decision on what they submitted (not of an operator re-publishing an item
      // taken offline, nor of an operator publishing their own item).
      const fromReview = !isAuthor && (status === 'submitted' || status === 'scheduled' || revisionStatus === 'submitted');
      const publish = (): WorkflowOutcome =>
        later
          ? outcome('scheduled', null, 'schedule', { notifyAuthor: fromReview ? 'scheduled' : null })
          : outcome('published', null, 'publish-now', { notifyAuthor: fromReview ? 'published' : null });
      switch (status) {
        case 'submitted':
        case 'scheduled':
        case 'unpublished':
        case 'declined':
          return publish();
        case 'draft':
        case 'returned':
          // An operator publishes their own drafts directly; someone else's only once they submit it.
          return isAuthor ? publish() : deny();
        case 'published':
          if (later) return deny();
          if (revisionStatus === 'submitted' || (isAuthor && revisionStatus !== null)) {
            return outcome('published', null, 'publish-now', { onRevision: true, notifyAuthor: fromReview ? 'published' : null });
          }
          return deny();
      }
      return deny();
    }

    case 'schedule':
      // Scheduling is `publish` with a time in the future.
      return deny();

    case 'return': {
      if (!isOperator) return deny();
      // Nobody is told of a decision on their own item.
      const returned = isAuthor ? null : 'returned';
      if (status === 'submitted') return outcome('returned', null, 'none', { notifyAuthor: returned });
      if (status === 'scheduled') return outcome('returned', null, 'cancel-schedule', { notifyAuthor: returned });
      if (status === 'published' && revisionStatus === 'submitted') {
        return outcome('published', 'returned', 'none', { onRevision: true, notifyAuthor: returned });
      }
      return deny();
    }

    case 'decline': {
      if (!isOperator) return deny();
      const declined = isAuthor ? null : 'declined';
      if (status === 'submitted') return outcome('declined', null, 'none', { notifyAuthor: declined });
      if (status === 'scheduled') return outcome('declined', null, 'cancel-schedule', { notifyAuthor: declined });
      if (status === 'published' && revisionStatus === 'submitted') {
        return outcome('published', null, 'drop-revision', { onRevision: true, notifyAuthor: declined });
      }
      return deny();
    }

    case 'unpublish':
      if (status === 'published') return outcome('unpublished', null, 'take-offline');
      if (status === 'scheduled') return isOperator ? outcome('submitted', null, 'cancel-schedule') : outcome('draft', null, 'cancel-schedule');
      return deny();

    case 'discard':
      if (status === 'published') {
        // The pending revision goes; the published version stays.
        return revisionStatus !== null && (isAuthor || isOperator) ? outcome('published', null, 'drop-revision', { onRevision: true }) : deny();
      }
      if (isOperator && status !== 'scheduled') return outcome(status, null, 'delete');
      if (isAuthor && !state.everPublished && (status === 'draft' || status === 'returned' || status === 'declined')) return outcome(status, null, 'delete');
      return deny();
  }
  return deny();
}

/** Whether `action` is allowed now (for the page's buttons and the item's `can`). */
export function allows(state: WorkflowState, action: ContentAction, actor: WorkflowActor, options: TransitionOptions = {}): boolean {
  try {
    transition(state, action, actor, options);
    return true;
  } catch (error) {
    if (error instanceof ContentTransitionError) return false;
    throw error;
  }
}

/** Items readers may see: published only. Authors and operators see the others on their own pages. */
export const isOnline = (status: ContentStatus): boolean => status === 'published';
