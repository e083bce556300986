import { MEMBERSHIP_QUEUES } from '../contracts/roster';

/** Membership's photo upkeep: the one-off re-encoding of photos stored before the image pipeline. */
export const PHOTOS_QUEUE = MEMBERSHIP_QUEUES.photos;
export const REENCODE_LEGACY_PHOTOS_JOB = 'reencode-legacy-photos';
/**
 * One job id for the re-encoding, used by the migration's outbox row and by the worker's start-up check, so the job
 * is queued once however often it is asked for while it waits.
 */
export const REENCODE_LEGACY_PHOTOS_JOB_ID = 'reencode-legacy-photos';
