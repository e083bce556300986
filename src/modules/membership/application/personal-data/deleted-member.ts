import { messageCatalog, type Locale } from '@libs/i18n';

export const DELETED_MEMBER_KEY = 'membership.personalData.deletedMember';

/** How a deleted member is named wherever their name would appear: 退会したメンバー / "Deleted member". */
export function deletedMemberName(locale: Locale | null | undefined): string {
  return messageCatalog().t(locale ?? 'ja', DELETED_MEMBER_KEY);
}
