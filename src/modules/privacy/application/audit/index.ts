import type { Type } from '@nestjs/common';
import { RecordAuditEventHandler } from './record-audit-event.handler';
import { SearchAuditLogHandler } from './search-audit-log.handler';

export const AUDIT_HANDLERS: Type[] = [RecordAuditEventHandler, SearchAuditLogHandler];
