import type { EntityManager } from '@mikro-orm/postgresql';
import type { MemberStatus } from '@libs/security/access-policy';
import type { RosterRow } from '../../roster/roster-csv';
import type { KnownMember, RecordedEntry, RosterSnapshot } from '../../roster/roster-plan';

/** Keys per query (each one a bind parameter). */
const CHUNK = 1000;

interface EntryRow {
  employee_number: string;
  member_id: string | null;
  invitation_id: string | null;
  email: string;
  family_name: string;
  given_name: string;
  family_name_kana: string | null;
  given_name_kana: string | null;
  department: string | null;
  position: string | null;
  hired_on: string | null;
  left_on: string | null;
}

async function inChunks<T>(em: EntityManager, keys: string[], sql: string): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < keys.length; i += CHUNK) out.push(...(await em.execute<T[]>(sql, [keys.slice(i, i + CHUNK)])));
  return out;
}

const toEntry = (r: EntryRow): RecordedEntry => ({
  employeeNumber: r.employee_number,
  memberId: r.member_id,
  invitationId: r.invitation_id,
  email: r.email,
  familyName: r.family_name,
  givenName: r.given_name,
  familyNameKana: r.family_name_kana,
  givenNameKana: r.given_name_kana,
  department: r.department,
  position: r.position,
  hiredOn: r.hired_on,
  leftOn: r.left_on,
});

/**
 * What the roster and the member accounts say about these rows' employee numbers and addresses, as `planRoster`
 * needs it. Run in the caller's transaction when it decides what to apply.
 */
export async function loadRosterSnapshot(em: EntityManager, rows: readonly RosterRow[]): Promise<RosterSnapshot> {
  const numbers = rows.map((r) => r.employeeNumber);
  const emails = [...new Set(rows.map((r) => r.email))];

  const entries = new Map<string, RecordedEntry>();
  for (const r of await inChunks<EntryRow>(
    em,
    numbers,
    `select employee_number, member_id, invitation_id, email, family_name, given_name, family_name_kana, given_name_kana,
            department, position, hired_on::text as hired_on, left_on::text as left_on
       from membership.roster_entry where employee_number in (?)`,
  )) {
    entries.set(r.employee_number, toEntry(r));
  }

  const entryNumbersByEmail = new Map<string, string>();
  for (const r of await inChunks<{ employee_number: string; email: string }>(
    em,
    emails,
    'select employee_number, email from membership.roster_entry where email in (?) order by employee_number',
  )) {
    if (!entryNumbersByEmail.has(r.email)) entryNumbersByEmail.set(r.email, r.employee_number);
  }

  const membersByEmail = new Map<string, KnownMember>();
  for (const r of await inChunks<{ id: string; email: string; status: MemberStatus }>(em, emails, 'select id, email, status from membership.member where email in (?)')) {
    membersByEmail.set(r.email, { id: r.id, status: r.status });
  }

  const linkedIds = [...new Set([...entries.values()].map((e) => e.memberId).filter((id): id is string => id !== null))];
  const membersById = new Map<string, KnownMember>();
  for (const r of await inChunks<{ id: string; status: MemberStatus }>(em, linkedIds, 'select id, status from membership.member where id in (?)')) {
    membersById.set(r.id, { id: r.id, status: r.status });
  }

  const entryNumbersByMemberId = new Map<string, string>();
  for (const r of await inChunks<{ employee_number: string; member_id: string }>(
    em,
    [...membersByEmail.values()].map((m) => m.id),
    'select employee_number, member_id from membership.roster_entry where member_id in (?)',
  )) {
    entryNumbersByMemberId.set(r.member_id, r.employee_number);
  }

  return { entries, entryNumbersByEmail, membersByEmail, membersById, entryNumbersByMemberId };
}
