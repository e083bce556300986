import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { AUDIT_HANDLERS } from './application/audit';
import { CONSENT_HANDLERS } from './application/consent';
import { DATA_EXPORT_HANDLERS } from './application/data-export';
import { AuditEvent } from './domain/audit-event.entity';
import { ConsentRecord } from './domain/consent-record.entity';
import { DataExport } from './domain/data-export.entity';

export const PRIVACY_ENTITIES = [ConsentRecord, AuditEvent, DataExport];

/** Members' personal-data rights: consent per purpose, the audit log of restricted data, data export. */
@Module({
  imports: [CqrsModule, MikroOrmModule.forFeature(PRIVACY_ENTITIES)],
  providers: [...CONSENT_HANDLERS, ...AUDIT_HANDLERS, ...DATA_EXPORT_HANDLERS],
})
export class PrivacyModule {}
