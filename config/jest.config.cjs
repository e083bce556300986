// Three suites: unit (next to the code, no services), integration (one module on real PostgreSQL and Redis)
// and e2e (the whole app over HTTP and in Chromium). `npm test` runs all three against a fresh database.
const root = require('node:path').resolve(__dirname, '..');

const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2023',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const common = {
  rootDir: root,
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@modules/(.*)$': '<rootDir>/src/modules/$1',
    '^@libs/(.*)$': '<rootDir>/libs/$1',
  },
  testEnvironment: 'node',
};

module.exports = {
  rootDir: root,
  // Test files run in parallel worker processes, each on its own database, Redis prefix and upload folder
  // (test/support/env.ts). Most of a file's time is spent waiting on PostgreSQL, Redis and Chromium, so even two cores
  // keep two workers busy; KIZUNA_TEST_WORKERS (or --maxWorkers / --runInBand) picks another number.
  maxWorkers: Number(process.env.KIZUNA_TEST_WORKERS) || 2,
  // Jest reads the timeout from the top level only (a project's own testTimeout is ignored): 30 s per test and hook
  // gives a slow or busy machine room for the suites that boot the app or seed many rows.
  testTimeout: 30000,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'], setupFiles: ['<rootDir>/test/support/env.ts'], setupFilesAfterEnv: ['<rootDir>/test/support/after-env.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'], setupFiles: ['<rootDir>/test/support/env.ts'], setupFilesAfterEnv: ['<rootDir>/test/support/after-env.ts'] },
  ],
};
