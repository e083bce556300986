// Operators: create, edit, publish, cancel events; attendees, CSV, check-in, attendance.
export {};
