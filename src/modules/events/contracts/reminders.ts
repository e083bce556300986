// Reminders before the start (scheduling is internal; see application/reminders).
export {};
