/**
 * The condition that a profile row (alias `t`) is listed in the member directory: approved members only (never
 * applicants, suspended or deleted members) who have not withdrawn their community consent (`listed`). Every list of other members that members see (the directory, the home
 * page's recent members) uses this one condition.
 */
export function listedInDirectory(t: string): string {
  return `${t}.listed and ${t}.member_status in ('employee', 'alumni')`;
}
