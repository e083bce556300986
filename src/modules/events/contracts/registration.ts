// Members: register (with companions), cancel; the waitlist.
export {};
