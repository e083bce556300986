import { IsIn, IsOptional } from 'class-validator';
import { MEMBER_ROLES, MEMBER_STATUSES, type MemberRole, type MemberStatus } from '@libs/security/access-policy';
import { EmptyToUndefined, OptionalText } from '@libs/web/form-transforms';

/** The CSV export takes the member list's filters (GET /admin/members/export.csv?q=…&status=…&role=…). */
export class MemberExportRequest {
  @OptionalText(100)
  q?: string;

  @EmptyToUndefined()
  @IsOptional()
  @IsIn(MEMBER_STATUSES)
  status?: MemberStatus;

  @EmptyToUndefined()
  @IsOptional()
  @IsIn(MEMBER_ROLES)
  role?: MemberRole;
}
