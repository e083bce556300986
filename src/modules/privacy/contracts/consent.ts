// Consent per purpose: commands, queries and views.
export {};
