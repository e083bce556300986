// The audit log of restricted personal data: commands, queries and views.
export {};
