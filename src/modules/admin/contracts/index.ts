/** The admin console owns no data and offers nothing to other modules. */
export {};
