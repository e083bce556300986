import { DomainError, NotFoundError } from '@libs/ddd';

/** The uploaded file cannot be read as a roster at all; the message goes on the upload form's file field. */
export class RosterFileRejectedError extends DomainError {
  constructor(code: string, params?: Record<string, string | number>) {
    super(code, { status: code.endsWith('.tooLarge') ? 413 : 400, field: 'file', params });
  }
}

export class RosterImportNotFoundError extends NotFoundError {
  constructor() {
    super('membership.roster.commandErrors.notFound');
  }
}

/** The preview lists problems: nothing of it may be applied. */
export class RosterImportHasIssuesError extends DomainError {
  constructor() {
    super('membership.roster.commandErrors.hasIssues', { status: 409 });
  }
}

export class RosterImportNotConfirmableError extends DomainError {
  constructor() {
    super('membership.roster.commandErrors.notConfirmable', { status: 409 });
  }
}

export class RosterImportNotDiscardableError extends DomainError {
  constructor() {
    super('membership.roster.commandErrors.notDiscardable', { status: 409 });
  }
}

/** The job found problems that the preview did not have (the data changed in between). Nothing is applied. */
export class RosterChangedSincePreviewError extends DomainError {
  constructor() {
    super('membership.roster.failure.changedSincePreview', { status: 409 });
  }
}
