import type { IntegrationEvent } from '@libs/outbox/integration-event';

/** Privacy's own jobs, carried as integration events through the outbox (ids only). */
export const DataExportEvents = {
  requested: 'privacy.data-export-requested',
  expiryDue: 'privacy.data-export-expiry-due',
} as const;

export interface DataExportRequestedEvent extends IntegrationEvent {
  type: typeof DataExportEvents.requested;
  exportId: string;
  memberId: string;
}

/** Delivered when the export's link runs out (a delayed job), to erase its content on time. */
export interface DataExportExpiryDueEvent extends IntegrationEvent {
  type: typeof DataExportEvents.expiryDue;
  exportId: string;
}
