import { EntityRepository } from '@mikro-orm/postgresql';
import type { Member } from './member.entity';
import { MemberNotFoundError } from './membership.errors';
import { normalizeEmail } from './email';

export class MemberRepository extends EntityRepository<Member> {
  findByEmail(email: string): Promise<Member | null> {
    return this.findOne({ email: normalizeEmail(email) });
  }

  async get(id: string): Promise<Member> {
    const member = /^[0-9a-f-]{36}$/i.test(id) ? await this.findOne({ id }) : null;
    if (!member) throw new MemberNotFoundError();
    return member;
  }
}
