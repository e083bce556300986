/**
 * A broken business rule. `code` is a message key (translated for the member), `field` ties the message to a
 * form field, `status` is the HTTP status the web layer answers with.
 */
export class DomainError extends Error {
  readonly status: number;
  readonly field?: string;
  readonly params?: Record<string, string | number>;

  constructor(
    readonly code: string,
    options: { status?: number; field?: string; params?: Record<string, string | number> } = {},
  ) {
    super(code);
    this.name = new.target.name;
    this.status = options.status ?? 400;
    this.field = options.field;
    this.params = options.params;
  }
}

export class NotFoundError extends DomainError {
  constructor(code = 'errors.notFound.message') {
    super(code, { status: 404 });
  }
}

export class ForbiddenError extends DomainError {
  constructor(code = 'errors.forbidden.message') {
    super(code, { status: 403 });
  }
}

export class TooManyRequestsError extends DomainError {
  constructor(retryAfterSeconds: number) {
    super('errors.tooManyRequestsRetry', { status: 429, params: { minutes: Math.max(1, Math.ceil(retryAfterSeconds / 60)) } });
  }
}
