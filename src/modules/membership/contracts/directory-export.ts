// The admins' CSV export of the directory.
export {};
