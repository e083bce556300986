import type { EntityManager } from '@mikro-orm/postgresql';
import { DEFAULT_TIME_ZONE, zonedDate } from '@libs/calendar/zoned-time';
import { integrationEvent, Outbox } from '@libs/outbox';
import { MembershipEvents } from '../../contracts';
import { departureMailRecipient, type DepartureMailRecipient } from '../../domain/departure-mail';
import type { Member } from '../../domain/member.entity';
import type { Profile } from '../../domain/profile.entity';
import type { MembershipMailer } from '../membership-mailer';

/**
 * An employee leaves the company (HR sets the date by hand or through a roster import): they become an alumnus and
 * keep their account and history, their career at the company is closed on that date, they are asked by e-mail to
 * add a personal address, and other modules are told. Works in the caller's unit of work; does not flush.
 *
 * The mail goes to the personal address when the member has one, else to the company (sign-in) address only if the
 * leaving date is today or later; a member who left in the past without a personal address gets no mail and is listed
 * for HR as "no personal address" (see domain/departure-mail.ts). Answers where the mail went.
 */
export async function recordDeparture(
  em: EntityManager,
  mailer: MembershipMailer,
  member: Member,
  profile: Profile | null,
  departedOn: string,
  now = new Date(),
): Promise<DepartureMailRecipient> {
  const from = member.status;
  member.changeStatus('alumni', departedOn);
  profile?.closeCareer(departedOn);
  const recipient = departureMailRecipient({
    personalEmail: profile?.contactEmail,
    accountEmail: member.email,
    departedOn,
    today: zonedDate(now, DEFAULT_TIME_ZONE),
  });
  if (recipient.to !== null) {
    await mailer.queue(em, `left-company:${member.id}:${departedOn}`, recipient.to, member.locale ?? 'ja', 'left-company', {
      name: profile?.displayName ?? '',
      url: mailer.link('/account'),
      toPersonal: recipient.via === 'personal',
    });
  }
  Outbox.publish(em, integrationEvent(MembershipEvents.memberStatusChanged, { memberId: member.id, from, to: 'alumni', departedOn }));
  return recipient;
}
