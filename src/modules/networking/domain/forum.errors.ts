import { DomainError } from '@libs/ddd';

/** The board, thread or post does not exist or the viewer may not read it (both answer the same). */
export class ForumNotFoundError extends DomainError {
  constructor() {
    super('networking.errors.notFound', { status: 404 });
  }
}

/** Only operators start threads on this board (お知らせ). */
export class ThreadStartersOnlyError extends DomainError {
  constructor() {
    super('networking.errors.operatorsOnly', { status: 403 });
  }
}

export class BoardArchivedError extends DomainError {
  constructor() {
    super('networking.errors.archived', { status: 409 });
  }
}

export class ThreadLockedError extends DomainError {
  constructor() {
    super('networking.errors.locked', { status: 409 });
  }
}

export class PostNotEditableError extends DomainError {
  constructor() {
    super('networking.errors.notEditable', { status: 403 });
  }
}

export class TextRequiredError extends DomainError {
  constructor(field: 'title' | 'body' | 'reason' | 'nameJa') {
    super(`networking.errors.${field}Required`, { field });
  }
}

export class TextTooLongError extends DomainError {
  constructor(field: 'title' | 'body' | 'reason' | 'nameJa' | 'nameEn' | 'descriptionJa' | 'descriptionEn' | 'note', max: number) {
    super('networking.errors.tooLong', { field, params: { max } });
  }
}

export class QuoteNotFoundError extends DomainError {
  constructor() {
    super('networking.errors.quoteNotFound', { field: 'quotePostId' });
  }
}

export class UnknownReactionError extends DomainError {
  constructor() {
    super('networking.errors.unknownReaction', { field: 'kind' });
  }
}

export class TooManyImagesError extends DomainError {
  constructor(max: number) {
    super('networking.errors.tooManyImages', { field: 'images', params: { max } });
  }
}

export class SearchWordTooShortError extends DomainError {
  constructor() {
    super('networking.errors.wordTooShort', { field: 'q' });
  }
}

export class CannotReportOwnPostError extends DomainError {
  constructor() {
    super('networking.errors.ownPost', { status: 409 });
  }
}
