import { DomainError, ForbiddenError, NotFoundError, TooManyRequestsError } from '@libs/ddd';
import {
  AccountSuspendedError,
  ApplicationNotPendingError,
  DateRangeError,
  DepartureDateRequiredError,
  EmailAlreadyRegisteredError,
  EmailNotVerifiedError,
  InvalidCredentialsError,
  InvalidStatusChangeError,
  InvitationInvalidError,
  LinkInvalidError,
  MemberNotFoundError,
  NotOnYourselfError,
  WeakPasswordError,
  WrongPasswordError,
} from './membership.errors';

describe('membership errors', () => {
  const cases: [string, DomainError, string, number, string | undefined][] = [
    ['EmailAlreadyRegisteredError', new EmailAlreadyRegisteredError(), 'membership.errors.emailTaken', 409, 'email'],
    ['InvalidCredentialsError', new InvalidCredentialsError(), 'membership.errors.invalidCredentials', 400, undefined],
    ['AccountSuspendedError', new AccountSuspendedError(), 'membership.errors.suspended', 400, undefined],
    ['WeakPasswordError', new WeakPasswordError(), 'validation.weakPassword', 400, 'password'],
    ['WeakPasswordError(newPassword)', new WeakPasswordError('newPassword'), 'validation.weakPassword', 400, 'newPassword'],
    ['WrongPasswordError', new WrongPasswordError(), 'membership.errors.wrongPassword', 400, 'currentPassword'],
    ['LinkInvalidError', new LinkInvalidError(), 'membership.errors.linkInvalid', 400, undefined],
    ['InvitationInvalidError(expired)', new InvitationInvalidError('expired'), 'membership.errors.invitation.expired', 400, undefined],
    ['InvitationInvalidError(used)', new InvitationInvalidError('used'), 'membership.errors.invitation.used', 400, undefined],
    ['InvitationInvalidError(unknown)', new InvitationInvalidError('unknown'), 'membership.errors.invitation.unknown', 400, undefined],
    ['ApplicationNotPendingError', new ApplicationNotPendingError(), 'membership.errors.applicationNotPending', 409, undefined],
    ['EmailNotVerifiedError', new EmailNotVerifiedError(), 'membership.errors.emailNotVerified', 409, undefined],
    ['InvalidStatusChangeError', new InvalidStatusChangeError(), 'membership.errors.invalidStatusChange', 409, 'status'],
    ['DepartureDateRequiredError', new DepartureDateRequiredError(), 'membership.errors.departureDateRequired', 400, 'departedOn'],
    ['NotOnYourselfError', new NotOnYourselfError(), 'membership.errors.notOnYourself', 409, undefined],
    ['DateRangeError', new DateRangeError('career.2.to'), 'validation.dateRange', 400, 'career.2.to'],
    ['MemberNotFoundError', new MemberNotFoundError(), 'membership.errors.memberNotFound', 404, undefined],
  ];

  it.each(cases)('%s carries its message key, HTTP status and form field', (name, error, code, status, field) => {
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe(code);
    expect(error.message).toBe(code);
    expect(error.status).toBe(status);
    expect(error.field).toBe(field);
    expect(error.name).toBe(name.replace(/\(.*\)$/, ''));
  });

  it('treats an unknown member as a not-found error', () => {
    expect(new MemberNotFoundError()).toBeInstanceOf(NotFoundError);
  });
});

describe('shared domain errors', () => {
  it('answer 400 by default, 404 for not found and 403 for forbidden', () => {
    expect(new DomainError('some.key').status).toBe(400);
    expect(new NotFoundError()).toMatchObject({ code: 'errors.notFound.message', status: 404 });
    expect(new ForbiddenError()).toMatchObject({ code: 'errors.forbidden.message', status: 403 });
    expect(new ForbiddenError('errors.pendingMember').code).toBe('errors.pendingMember');
  });

  it('tell the member how many whole minutes to wait, at least one', () => {
    expect(new TooManyRequestsError(0).params).toEqual({ minutes: 1 });
    expect(new TooManyRequestsError(59).params).toEqual({ minutes: 1 });
    expect(new TooManyRequestsError(61).params).toEqual({ minutes: 2 });
    expect(new TooManyRequestsError(900)).toMatchObject({ code: 'errors.tooManyRequestsRetry', status: 429, params: { minutes: 15 } });
  });
});
