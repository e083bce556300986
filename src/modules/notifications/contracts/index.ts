/** Notifications has no commands or queries for other modules yet; it reacts to their integration events. */
export {};
