// Members: list, search and read events; the calendar (.ics and personal feed).
export {};
