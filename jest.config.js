/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }],
  },
  testTimeout: 60000,
  maxWorkers: 2,
  // The sandbox CA goes into NODE_EXTRA_CA_CERTS here, before the workers start (Node reads it
  // once at start-up; dynamics-web-api trusts no other CA: test/support/trusted-ca.ts).
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  // Setting a limit makes Jest use workers even for a single test file, so every test runs in a
  // process started with that variable. The limit itself is never reached in practice.
  workerIdleMemoryLimit: '4GB',
};
