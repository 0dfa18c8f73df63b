// One jest run covers every layer, as four projects (`npm test -- --selectProjects <name>…` runs some of them):
// - unit: *.spec.ts in src/, libs/ and test/ other than the two below; no PostgreSQL, no emulator server.
// - emulator: test/emulator and test/microsoft *.spec.ts; they start the local Microsoft emulator, no PostgreSQL.
// - integration: *.int-spec.ts, against a real PostgreSQL.
// - e2e: *.e2e-spec.ts (the app over HTTP, and the browser tests), against a real PostgreSQL.
// Only integration and e2e have the global setup: jest runs a project's global setup only when one of its tests
// runs, so unit and emulator runs never start PostgreSQL. Plain `npm test` runs all four, the same files as before.
const common = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/src', '<rootDir>/libs', '<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 60000,
};

const EMULATOR_DIRS = ['<rootDir>/test/emulator/', '<rootDir>/test/microsoft/'];

// Both database projects share one PostgreSQL: the setup starts it once per run (test/setup/global-setup.ts).
const database = {
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
};

module.exports = {
  // Global, not per project: at most two test files at once across all projects (the machine is shared).
  maxWorkers: 2,
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['**/*.spec.ts'], testPathIgnorePatterns: ['/node_modules/', ...EMULATOR_DIRS] },
    { ...common, displayName: 'emulator', roots: EMULATOR_DIRS, testMatch: ['**/*.spec.ts'] },
    { ...common, ...database, displayName: 'integration', testMatch: ['**/*.int-spec.ts'] },
    { ...common, ...database, displayName: 'e2e', testMatch: ['**/*.e2e-spec.ts'] },
  ],
};
