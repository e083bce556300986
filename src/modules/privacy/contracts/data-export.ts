// A member's download of everything held about them.
export {};
