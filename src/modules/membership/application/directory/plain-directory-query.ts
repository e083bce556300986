import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import { containsPattern, normalizeForSearch, queryWords } from '@libs/search/japanese-text';
import type { DirectoryFilter } from '../../contracts';
import { PRIVACY_LEVELS } from '../../domain/privacy';

/**
 * The directory's rules written as one straightforward query — every row checked against its normalised texts with
 * LIKE, no token index, no walk, no estimate. Slow at 100,000 members; it is the yardstick the directory's fast paths
 * are measured against (the count accuracy check of `npm run bench:directory`, and the integration tests).
 */
export function plainDirectoryQuery(
  viewer: Viewer,
  filter: DirectoryFilter,
): { from: string; params: unknown[]; orderBy: string; orderParams: unknown[] } {
  const params: unknown[] = [];
  // Privacy levels come from a fixed list and are written into the SQL; every other value is a parameter.
  const levels = PRIVACY_LEVELS.filter((level) => AccessPolicy.canSee(viewer, level)).map((l) => `'${l}'`).join(', ');
  const visible = (group: 'career' | 'currentEmployer') => {
    params.push(viewer.memberId);
    return `(coalesce(pr.privacy->>'${group}', 'members') in (${levels}) or pr.member_id = ?)`;
  };
  const where = [`pr.listed`, `pr.member_status in ('employee', 'alumni')`];
  const words = queryWords(filter.q);
  for (const word of words) {
    const pattern = containsPattern(word);
    params.push(pattern);
    const pub = `pr.search_public like ?`;
    params.push(pattern);
    const career = `pr.search_career like ? and ${visible('career')}`;
    params.push(pattern);
    const employer = `pr.search_employer like ? and ${visible('currentEmployer')}`;
    where.push(`(${pub} or (${career}) or (${employer}))`);
  }
  const add = (sql: string, ...values: unknown[]) => {
    where.push(sql);
    params.push(...values);
  };
  if (filter.status) add(`pr.member_status = ?`, filter.status);
  if (filter.department) add(`pr.last_department = ?`, filter.department);
  if (filter.leftYear) add(`pr.left_year = ?`, filter.leftYear);
  const skill = normalizeForSearch(filter.skill);
  if (skill) add(`? = any(pr.skills_norm)`, skill);
  const interest = normalizeForSearch(filter.interest);
  if (interest) add(`? = any(pr.interests_norm)`, interest);
  if (filter.location?.trim()) add(`normalize(pr.location, NFKC) like ?`, containsPattern(filter.location.normalize('NFKC').trim()));
  const flags = new Set(filter.openTo ?? []);
  if (flags.has('comeback')) add(`pr.open_to_comeback`);
  if (flags.has('offers')) add(`pr.open_to_offers`);
  if (flags.has('sideWork')) add(`pr.open_to_side_work`);

  const sort = filter.sort ?? (words.length ? 'relevance' : 'name');
  let orderBy = 'pr.family_name_kana, pr.given_name_kana, pr.member_id';
  const orderParams: unknown[] = [];
  if (sort === 'recent') orderBy = 'pr.created_at desc, pr.member_id';
  if (sort === 'relevance' && words.length) {
    orderParams.push(...words.map(containsPattern));
    orderBy = `(${words.map(() => '(pr.search_name like ?)::int').join(' + ')}) desc, ${orderBy}`;
  }
  return { from: `from membership.profile pr where ${where.join(' and ')}`, params, orderBy, orderParams };
}
