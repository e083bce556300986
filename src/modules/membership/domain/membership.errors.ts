import { DomainError, NotFoundError } from '@libs/ddd';

export class EmailAlreadyRegisteredError extends DomainError {
  constructor(field = 'email') {
    super('membership.errors.emailTaken', { status: 409, field });
  }
}
export class InvalidCredentialsError extends DomainError {
  constructor() {
    super('membership.errors.invalidCredentials', { status: 400 });
  }
}
export class AccountSuspendedError extends DomainError {
  constructor() {
    super('membership.errors.suspended', { status: 400 });
  }
}
export class WeakPasswordError extends DomainError {
  constructor(field = 'password') {
    super('validation.weakPassword', { status: 400, field });
  }
}
export class WrongPasswordError extends DomainError {
  constructor(field = 'currentPassword') {
    super('membership.errors.wrongPassword', { status: 400, field });
  }
}
export class LinkInvalidError extends DomainError {
  constructor() {
    super('membership.errors.linkInvalid', { status: 400 });
  }
}
export class InvitationInvalidError extends DomainError {
  constructor(reason: 'expired' | 'used' | 'unknown') {
    super(`membership.errors.invitation.${reason}`, { status: 400 });
  }
}
export class ApplicationNotPendingError extends DomainError {
  constructor() {
    super('membership.errors.applicationNotPending', { status: 409 });
  }
}
export class EmailNotVerifiedError extends DomainError {
  constructor() {
    super('membership.errors.emailNotVerified', { status: 409 });
  }
}
export class InvalidStatusChangeError extends DomainError {
  constructor() {
    super('membership.errors.invalidStatusChange', { status: 409, field: 'status' });
  }
}
export class DepartureDateRequiredError extends DomainError {
  constructor() {
    super('membership.errors.departureDateRequired', { status: 400, field: 'departedOn' });
  }
}
export class NotOnYourselfError extends DomainError {
  constructor() {
    super('membership.errors.notOnYourself', { status: 409 });
  }
}
export class DateRangeError extends DomainError {
  constructor(field: string) {
    super('validation.dateRange', { status: 400, field });
  }
}
export class MemberNotFoundError extends NotFoundError {
  constructor() {
    super('membership.errors.memberNotFound');
  }
}
