/**
 * Where the "you have left: stay in touch" mail goes when an employee becomes an alumnus (by hand or by roster import).
 *
 * - The member's personal address (the contact e-mail on their profile) when they have one.
 * - Otherwise the sign-in address, which for an employee is presumed to be the company's — but only while it still
 *   works: when the leaving date is today or later (in the community's time zone). A leaving date in the past means
 *   the company mailbox is presumed closed; nothing is sent, and the member shows in the HR console's list of alumni
 *   with no personal address (`/admin/members?status=alumni&contact=missing`) so that HR can reach them another way.
 */
export type DepartureMailRecipient = { to: string; via: 'personal' | 'company' } | { to: null; via: 'none' };

export function departureMailRecipient(input: { personalEmail: string | null | undefined; accountEmail: string; departedOn: string; today: string }): DepartureMailRecipient {
  const personal = input.personalEmail?.trim();
  if (personal) return { to: personal, via: 'personal' };
  if (input.departedOn >= input.today) return { to: input.accountEmail, via: 'company' };
  return { to: null, via: 'none' };
}
