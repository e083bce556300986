import { IsDateString, IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { AUDIT_ACTIONS, type AuditAction } from '@modules/privacy/contracts';
import { EmptyToUndefined, OptionalText } from '@libs/web/form-transforms';

/** The audit log's filter form (GET /admin/audit-log) and its page cursors. */
export class AuditLogRequest {
  @EmptyToUndefined()
  @IsOptional()
  @IsIn(AUDIT_ACTIONS)
  action?: AuditAction;

  /** A member id or part of a name. */
  @OptionalText(100)
  actor?: string;

  @OptionalText(100)
  subject?: string;

  @EmptyToUndefined()
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'isDateString' })
  @IsDateString({ strict: true })
  from?: string;

  @EmptyToUndefined()
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'isDateString' })
  @IsDateString({ strict: true })
  to?: string;

  @EmptyToUndefined()
  @IsOptional()
  @IsUUID()
  before?: string;

  @EmptyToUndefined()
  @IsOptional()
  @IsUUID()
  after?: string;
}
