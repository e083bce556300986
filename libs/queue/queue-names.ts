/** Queues shared by several modules. A module's own queues are declared in its jobs/ folder. */
export const INTEGRATION_EVENTS_QUEUE = 'integration-events';
export const MAIL_QUEUE = 'mail';
/** Image upkeep (libs/images): erasing the files of released images. */
export const IMAGES_QUEUE = 'images';
