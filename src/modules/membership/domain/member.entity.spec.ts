import { Member } from './member.entity';
import {
  ApplicationNotPendingError,
  DepartureDateRequiredError,
  EmailNotVerifiedError,
  InvalidStatusChangeError,
  NotOnYourselfError,
} from './membership.errors';
import { thrownBy } from '@libs/testing';

const OPERATOR_ID = '00000000-0000-4000-8000-000000000001';
const NOW = new Date('2025-04-01T09:00:00Z');
const LATER = new Date('2025-04-02T10:30:00Z');

function applicant(appliedAs: 'employee' | 'alumni' = 'alumni'): Member {
  return Member.apply({ email: 'hanako.sato@example.jp', passwordHash: 'hash-1', appliedAs, note: '2019年まで営業部', locale: 'ja' });
}

function verifiedApplicant(appliedAs: 'employee' | 'alumni' = 'alumni'): Member {
  const member = applicant(appliedAs);
  member.verifyEmail(NOW);
  return member;
}

function approved(status: 'employee' | 'alumni' = 'employee'): Member {
  return Member.seeded({ email: `${status}@example.jp`, passwordHash: 'hash', status }, NOW);
}

describe('Member.apply', () => {
  it('waits as a pending, submitted application with the chosen status and note', () => {
    const member = applicant('employee');
    expect(member.status).toBe('pending');
    expect(member.applicationState).toBe('submitted');
    expect(member.appliedAs).toBe('employee');
    expect(member.applicationNote).toBe('2019年まで営業部');
    expect(member.joinedVia).toBe('application');
    expect(member.locale).toBe('ja');
    expect(member.passwordHash).toBe('hash-1');
  });

  it('starts as an ordinary member with an unverified address and the first session version', () => {
    const member = applicant();
    expect(member.role).toBe('member');
    expect(member.emailVerifiedAt).toBeUndefined();
    expect(member.sessionVersion).toBe(1);
    expect(member.isApprovedMember).toBe(false);
  });

  it('stores the e-mail address trimmed, NFKC-folded and lower-cased', () => {
    const member = Member.apply({ email: '  Ｈａｎａｋｏ．Ｓａｔｏ＠Ｅｘａｍｐｌｅ．ＪＰ ', passwordHash: 'h', appliedAs: 'alumni' });
    expect(member.email).toBe('hanako.sato@example.jp');
  });

  it('gives each account its own id', () => {
    expect(applicant().id).not.toBe(applicant().id);
  });
});

describe('Member.fromInvitation', () => {
  it('is approved straight away with the invited status, a verified address and the inviter as decider', () => {
    const member = Member.fromInvitation(
      { email: 'Taro@Example.JP', passwordHash: 'h', status: 'alumni', invitedBy: OPERATOR_ID, locale: 'en' },
      NOW,
    );
    expect(member.status).toBe('alumni');
    expect(member.isApprovedMember).toBe(true);
    expect(member.joinedVia).toBe('invitation');
    expect(member.email).toBe('taro@example.jp');
    expect(member.emailVerifiedAt).toEqual(NOW);
    expect(member.decidedAt).toEqual(NOW);
    expect(member.decidedBy).toBe(OPERATOR_ID);
    expect(member.locale).toBe('en');
    expect(member.applicationState).toBeUndefined();
  });
});

describe('Member.seeded', () => {
  it('defaults to the member role and the seed origin, with a verified address', () => {
    const member = Member.seeded({ email: 'Seed@Example.jp', status: 'employee' }, NOW);
    expect(member.role).toBe('member');
    expect(member.joinedVia).toBe('seed');
    expect(member.emailVerifiedAt).toEqual(NOW);
    expect(member.email).toBe('seed@example.jp');
    expect(member.passwordHash).toBeUndefined();
  });

  it('keeps the given role, origin and departure date', () => {
    const member = Member.seeded({ email: 'a@example.jp', status: 'alumni', role: 'operator', via: 'import', departedOn: '2020-03-31' }, NOW);
    expect(member.role).toBe('operator');
    expect(member.joinedVia).toBe('import');
    expect(member.departedOn).toBe('2020-03-31');
    expect(member.status).toBe('alumni');
  });
});

describe('Member#verifyEmail', () => {
  it('records the first verification and keeps it on later calls', () => {
    const member = applicant();
    member.verifyEmail(NOW);
    member.verifyEmail(LATER);
    expect(member.emailVerifiedAt).toEqual(NOW);
  });
});

describe('Member#approve', () => {
  it('makes the applicant the status they applied as and records who decided and when', () => {
    const member = verifiedApplicant('alumni');
    member.approve(OPERATOR_ID, LATER);
    expect(member.status).toBe('alumni');
    expect(member.applicationState).toBe('approved');
    expect(member.decidedBy).toBe(OPERATOR_ID);
    expect(member.decidedAt).toEqual(LATER);
    expect(member.isApprovedMember).toBe(true);
  });

  it('approves an employee applicant as an employee', () => {
    const member = verifiedApplicant('employee');
    member.approve(OPERATOR_ID, LATER);
    expect(member.status).toBe('employee');
  });

  it('refuses while the e-mail address is not verified, leaving the application untouched', () => {
    const member = applicant();
    expect(() => member.approve(OPERATOR_ID)).toThrow(EmailNotVerifiedError);
    expect(member.status).toBe('pending');
    expect(member.applicationState).toBe('submitted');
    expect(member.decidedBy).toBeUndefined();
  });

  it('refuses an application that was already approved', () => {
    const member = verifiedApplicant();
    member.approve(OPERATOR_ID);
    expect(() => member.approve(OPERATOR_ID)).toThrow(ApplicationNotPendingError);
  });

  it('refuses an application that was declined', () => {
    const member = verifiedApplicant();
    member.decline(OPERATOR_ID, '在籍確認ができませんでした');
    expect(() => member.approve(OPERATOR_ID)).toThrow(ApplicationNotPendingError);
    expect(member.status).toBe('pending');
  });

  it('refuses a pending account that never applied', () => {
    const member = Member.seeded({ email: 'p@example.jp', status: 'pending' }, NOW);
    expect(() => member.approve(OPERATOR_ID)).toThrow(ApplicationNotPendingError);
  });

  it('refuses an applicant who was suspended meanwhile', () => {
    const member = verifiedApplicant();
    member.suspend(OPERATOR_ID, 'spam');
    expect(() => member.approve(OPERATOR_ID)).toThrow(ApplicationNotPendingError);
    expect(member.status).toBe('suspended');
  });

  it('refuses members who are already approved', () => {
    expect(() => approved('employee').approve(OPERATOR_ID)).toThrow(ApplicationNotPendingError);
  });
});

describe('Member#decline', () => {
  it('marks the application declined with the reason, decider and time, keeping the account pending', () => {
    const member = applicant();
    member.decline(OPERATOR_ID, '確認できませんでした', LATER);
    expect(member.applicationState).toBe('declined');
    expect(member.declineReason).toBe('確認できませんでした');
    expect(member.decidedBy).toBe(OPERATOR_ID);
    expect(member.decidedAt).toEqual(LATER);
    expect(member.status).toBe('pending');
    expect(member.isApprovedMember).toBe(false);
  });

  it('does not need a verified address', () => {
    const member = applicant();
    expect(() => member.decline(OPERATOR_ID, 'no')).not.toThrow();
  });

  it('refuses an application that was already decided', () => {
    const declined = applicant();
    declined.decline(OPERATOR_ID, 'no');
    expect(() => declined.decline(OPERATOR_ID, 'again')).toThrow(ApplicationNotPendingError);

    const accepted = verifiedApplicant();
    accepted.approve(OPERATOR_ID);
    expect(() => accepted.decline(OPERATOR_ID, 'too late')).toThrow(ApplicationNotPendingError);
    expect(accepted.applicationState).toBe('approved');
  });
});

describe('Member#changeStatus', () => {
  it('turns an employee into an alumnus with the departure date', () => {
    const member = approved('employee');
    member.changeStatus('alumni', '2025-03-31');
    expect(member.status).toBe('alumni');
    expect(member.departedOn).toBe('2025-03-31');
  });

  it('needs the departure date to make someone an alumnus', () => {
    const member = approved('employee');
    const error = thrownBy(() => member.changeStatus('alumni'));
    expect(error).toBeInstanceOf(DepartureDateRequiredError);
    expect(error).toMatchObject({ code: 'membership.errors.departureDateRequired', field: 'departedOn', status: 400 });
    expect(member.status).toBe('employee');
    expect(() => member.changeStatus('alumni', '')).toThrow(DepartureDateRequiredError);
  });

  it('lets an alumnus come back as an employee without a date', () => {
    const member = approved('alumni');
    member.changeStatus('employee');
    expect(member.status).toBe('employee');
  });

  it.each(['pending', 'suspended'] as const)('refuses to change the status of a %s account', (status) => {
    const member = Member.seeded({ email: 'x@example.jp', status }, NOW);
    expect(() => member.changeStatus('employee')).toThrow(InvalidStatusChangeError);
    expect(() => member.changeStatus('alumni', '2025-03-31')).toThrow(InvalidStatusChangeError);
    expect(member.status).toBe(status);
    expect(member.departedOn).toBeUndefined();
  });
});

describe('Member#changeRole', () => {
  it('gives an approved member a new role', () => {
    const member = approved('alumni');
    member.changeRole('operator', OPERATOR_ID);
    expect(member.role).toBe('operator');
    member.changeRole('admin', OPERATOR_ID);
    expect(member.role).toBe('admin');
  });

  it('refuses to change your own role', () => {
    const member = Member.seeded({ email: 'admin@example.jp', status: 'employee', role: 'admin' }, NOW);
    expect(() => member.changeRole('member', member.id)).toThrow(NotOnYourselfError);
    expect(member.role).toBe('admin');
  });

  it.each(['pending', 'suspended'] as const)('refuses to give a role to a %s account', (status) => {
    const member = Member.seeded({ email: 'x@example.jp', status }, NOW);
    expect(() => member.changeRole('operator', OPERATOR_ID)).toThrow(InvalidStatusChangeError);
    expect(member.role).toBe('member');
  });
});

describe('Member#suspend and #reinstate', () => {
  it('suspends with the reason and time, remembers the previous status and ends every session', () => {
    const member = approved('alumni');
    member.suspend(OPERATOR_ID, '規約違反', LATER);
    expect(member.status).toBe('suspended');
    expect(member.statusBeforeSuspension).toBe('alumni');
    expect(member.suspendedAt).toEqual(LATER);
    expect(member.suspensionReason).toBe('規約違反');
    expect(member.sessionVersion).toBe(2);
    expect(member.isApprovedMember).toBe(false);
  });

  it('refuses to suspend yourself', () => {
    const member = approved('employee');
    expect(() => member.suspend(member.id, undefined)).toThrow(NotOnYourselfError);
    expect(member.status).toBe('employee');
    expect(member.sessionVersion).toBe(1);
  });

  it('leaves an already suspended member as they were', () => {
    const member = approved('employee');
    member.suspend(OPERATOR_ID, 'first', NOW);
    member.suspend(OPERATOR_ID, 'second', LATER);
    expect(member.statusBeforeSuspension).toBe('employee');
    expect(member.suspensionReason).toBe('first');
    expect(member.suspendedAt).toEqual(NOW);
    expect(member.sessionVersion).toBe(2);
  });

  it('reinstates to the status held before the suspension and clears its traces', () => {
    const member = approved('alumni');
    member.suspend(OPERATOR_ID, 'spam', NOW);
    member.reinstate();
    expect(member.status).toBe('alumni');
    expect(member.statusBeforeSuspension).toBeUndefined();
    expect(member.suspendedAt).toBeUndefined();
    expect(member.suspensionReason).toBeUndefined();
  });

  it('reinstates a suspended applicant as pending so they can still be decided', () => {
    const member = verifiedApplicant();
    member.suspend(OPERATOR_ID, undefined);
    member.reinstate();
    expect(member.status).toBe('pending');
    member.approve(OPERATOR_ID);
    expect(member.status).toBe('alumni');
  });

  it('reinstates an account imported as suspended as pending', () => {
    const member = Member.seeded({ email: 's@example.jp', status: 'suspended' }, NOW);
    member.reinstate();
    expect(member.status).toBe('pending');
  });

  it('refuses to reinstate someone who is not suspended', () => {
    const member = approved('employee');
    expect(() => member.reinstate()).toThrow(InvalidStatusChangeError);
    expect(member.status).toBe('employee');
  });
});

describe('Member credentials', () => {
  it('ends every session when the password changes', () => {
    const member = approved('employee');
    member.setPassword('new-hash');
    expect(member.passwordHash).toBe('new-hash');
    expect(member.sessionVersion).toBe(2);
    member.setPassword('newer-hash');
    expect(member.sessionVersion).toBe(3);
  });

  it('ends every session on demand', () => {
    const member = approved('employee');
    member.endAllSessions();
    member.endAllSessions();
    expect(member.sessionVersion).toBe(3);
  });

  it('normalises a new e-mail address and counts it as verified', () => {
    const member = approved('employee');
    member.changeEmail(' ＮＥＷ.Address@Example.COM ', LATER);
    expect(member.email).toBe('new.address@example.com');
    expect(member.emailVerifiedAt).toEqual(LATER);
  });

  it('records the last sign-in', () => {
    const member = approved('employee');
    member.recordLogin(LATER);
    expect(member.lastLoginAt).toEqual(LATER);
  });
});
