import { DomainError } from '@libs/ddd';

/** The community always keeps one HR admin who can sign in: the last one cannot delete their account. */
export class LastAdminError extends DomainError {
  constructor() {
    super('membership.personalData.errors.lastAdmin', { status: 409 });
  }
}
