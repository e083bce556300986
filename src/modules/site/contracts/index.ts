/** The site module (home page, health, language) offers nothing to other modules. */
export {};
