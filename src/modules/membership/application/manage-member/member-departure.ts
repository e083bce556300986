import type { EntityManager } from '@mikro-orm/postgresql';
import { integrationEvent, Outbox } from '@libs/outbox';
import { MembershipEvents } from '../../contracts';
import type { Member } from '../../domain/member.entity';
import type { Profile } from '../../domain/profile.entity';
import type { MembershipMailer } from '../membership-mailer';

/**
 * An employee leaves the company (HR sets the date by hand or through a roster import): they become an alumnus and
 * keep their account and history, their career at the company is closed on that date, they are asked by e-mail to
 * add a personal address, and other modules are told. Works in the caller's unit of work; does not flush.
 */
export async function recordDeparture(em: EntityManager, mailer: MembershipMailer, member: Member, profile: Profile | null, departedOn: string): Promise<void> {
  const from = member.status;
  member.changeStatus('alumni', departedOn);
  profile?.closeCareer(departedOn);
  await mailer.queue(em, `left-company:${member.id}:${departedOn}`, member.email, member.locale ?? 'ja', 'left-company', {
    name: profile?.displayName ?? '',
    url: mailer.link('/account'),
  });
  Outbox.publish(em, integrationEvent(MembershipEvents.memberStatusChanged, { memberId: member.id, from, to: 'alumni', departedOn }));
}
