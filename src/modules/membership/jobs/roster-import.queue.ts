import { MEMBERSHIP_QUEUES } from '../contracts/roster';

/** Membership's own queue: confirmed roster imports, applied by the worker (one job per import). */
export const ROSTER_IMPORT_QUEUE = MEMBERSHIP_QUEUES.rosterImport;
export const APPLY_ROSTER_IMPORT_JOB = 'apply';

/** Ids only, never personal data. */
export interface ApplyRosterImportPayload {
  importId: string;
}

/** The BullMQ job id: one job per import, however often the outbox row is relayed. */
export const rosterImportJobId = (importId: string) => `roster-import-${importId}`;
