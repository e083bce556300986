import { IsDateString, IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { MEMBER_ROLES, MEMBER_STATUSES, type MemberRole, type MemberStatus } from '@libs/security/access-policy';
import { EmptyToUndefined, OptionalText, PageNumber, Trim } from '@libs/web/form-transforms';

export class DeclineRequest {
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;
}

export class InviteRequest {
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @IsIn(['employee', 'alumni'])
  status: 'employee' | 'alumni';

  @IsIn(['ja', 'en'])
  locale: 'ja' | 'en' = 'ja';

  @OptionalText(1000)
  message?: string;
}

export class ChangeStatusRequest {
  @IsIn(['employee', 'alumni'])
  status: 'employee' | 'alumni';

  @EmptyToUndefined()
  @ValidateIf((o: ChangeStatusRequest) => o.status === 'alumni')
  @IsNotEmpty({ message: 'departureDate' })
  @IsDateString({ strict: true })
  departedOn?: string;
}

export class ChangeRoleRequest {
  @IsIn(MEMBER_ROLES)
  role: MemberRole;
}

export class SuspendRequest {
  @Trim()
  @OptionalText(1000)
  reason?: string;
}

/** The member list's filters, shared by the list and its CSV export. */
export class MemberFilterQuery {
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

  /** 'missing': members with no personal (contact) e-mail address. */
  @EmptyToUndefined()
  @IsOptional()
  @IsIn(['missing'])
  contact?: 'missing';
}

export class MemberListQuery extends MemberFilterQuery {
  @PageNumber(10000)
  page?: number;
}

export class PageQuery {
  @PageNumber(10000)
  page?: number;

  @EmptyToUndefined()
  @IsOptional()
  @IsIn(['submitted', 'approved', 'declined'])
  state?: 'submitted' | 'approved' | 'declined';
}
