import 'reflect-metadata';

// Every test process talks to the database and Redis prefix the global setup prepared for this run.
process.env.NODE_ENV = 'test';
process.env.DEMO_SEED = 'false';
process.env.KIZUNA_OUTBOX_RELAY = 'off';
process.env.LOG_LEVEL = 'silent';
process.env.BASE_URL = 'http://kizuna.test';
