// A member's own data: the complete export of what membership holds, and account deletion.
export {};
