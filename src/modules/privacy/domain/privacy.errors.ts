import { DomainError, NotFoundError } from '@libs/ddd';

/** The wording changed between showing the page and the member's answer: they must read the new one. */
export class ConsentTextChangedError extends DomainError {
  constructor() {
    super('privacy.errors.consentTextChanged', { status: 409 });
  }
}

export class DataExportInPreparationError extends DomainError {
  constructor() {
    super('privacy.errors.exportInPreparation', { status: 409 });
  }
}

export class DataExportNotFoundError extends NotFoundError {
  constructor() {
    super('privacy.errors.exportNotFound');
  }
}

/** An export that exists and is the member's, but cannot be downloaded (still preparing, failed or expired). */
export class DataExportUnavailableError extends DomainError {
  constructor(readonly reason: 'requested' | 'failed' | 'expired') {
    super(`privacy.export.unavailable.${reason}`, { status: reason === 'expired' ? 410 : 409 });
  }
}
