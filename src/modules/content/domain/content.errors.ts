import { DomainError } from '@libs/ddd';
import type { ContentAction, ContentStatus } from '../contracts/content';

/** The item does not exist or the viewer may not see it (both answer the same). */
export class ContentNotFoundError extends DomainError {
  constructor() {
    super('content.errors.notFound', { status: 404 });
  }
}

/**
 * The workflow does not allow this action to this viewer in the item's state (a member publishing, an edit of
 * someone else's item, a return of a draft). 403 when the viewer may never do it, 409 when the state is wrong.
 */
export class ContentTransitionError extends DomainError {
  constructor(readonly action: ContentAction, readonly from: ContentStatus) {
    super(`content.errors.transition.${action}`, { status: 409, params: { status: from } });
  }
}

/** Only operators (publish, return, decline, feature) or only the author (submit, withdraw). */
export class ContentForbiddenError extends DomainError {
  constructor(code: 'operatorsOnly' | 'authorOnly' | 'notYours' = 'notYours') {
    super(`content.errors.${code}`, { status: 403 });
  }
}

export class ContentFieldError extends DomainError {
  constructor(
    field: string,
    code: 'required' | 'tooLong' | 'invalid' | 'tooMany' | 'tooShort' | 'eventNotFound' | 'eventNotPast' | 'eventOnlyForReports' | 'atInPast' | 'notCover' | 'parentNotFound',
    params?: Record<string, string | number>,
  ) {
    super(`content.errors.${code}`, { field, params });
  }
}

export class CannotReportOwnCommentError extends DomainError {
  constructor() {
    super('content.errors.ownComment', { status: 409 });
  }
}

/** A member may not like their own item. */
export class CannotLikeOwnContentError extends DomainError {
  constructor() {
    super('content.errors.ownLike', { status: 409 });
  }
}

/** Only a published item can be featured on the home page. */
export class ContentNotFeaturableError extends DomainError {
  constructor() {
    super('content.errors.notFeaturable', { status: 409 });
  }
}

/** Likes and comments are for published items. */
export class ContentNotOpenError extends DomainError {
  constructor() {
    super('content.errors.notOpen', { status: 409 });
  }
}

/** The comment does not exist, or the viewer may not see the item it is on. */
export class ContentCommentNotFoundError extends DomainError {
  constructor() {
    super('content.errors.commentNotFound', { status: 404 });
  }
}
