import type { MemberRole, MemberStatus } from '@libs/security/access-policy';
import { containsPattern, queryWords } from '@libs/search/japanese-text';

/**
 * The conditions of the admins' member list, shared by the list (ListMembersHandler) and its CSV export, so that the
 * export holds exactly the members the list shows: every word of the keyword in the name, its reading or romaji
 * (normalised as the directory does: width, case, hiragana/katakana folded) or in the sign-in address; status; role;
 * no personal (contact) e-mail address.
 * Tables: `m` membership.member, `p` membership.profile.
 */
export function memberListConditions(filter: { q?: string | null; status?: MemberStatus | null; role?: MemberRole | null; contact?: 'missing' | null }): {
  where: string[];
  params: unknown[];
} {
  const where: string[] = [];
  const params: unknown[] = [];
  for (const word of queryWords(filter.q)) {
    // Addresses are stored lower-cased (domain/email.ts), so they are compared as they are.
    where.push('(p.search_name like ? or m.email like ?)');
    params.push(containsPattern(word), containsPattern(word));
  }
  if (filter.status) {
    where.push('m.status = ?');
    params.push(filter.status);
  }
  if (filter.role) {
    where.push('m.role = ?');
    params.push(filter.role);
  }
  // "No personal address": nothing to reach them at once the company address stops working (HR follows them up).
  if (filter.contact === 'missing') where.push('p.contact_email is null');
  return { where, params };
}
