// Two projects: fast unit tests (in-process) and e2e tests that start sipr and drive it with
// real peers (SIPp, kamcmd, kamailio). Both run in `npm test`.
const common = {
  transform: { '^.+\\.ts$': '<rootDir>/test/esbuild-transform.js' },
  moduleNameMapper: {
    '^@sipr/core$': '<rootDir>/core/src/index.ts',
    '^@sipr/core/(.*)$': '<rootDir>/core/src/$1',
    '^@sipr/compat$': '<rootDir>/compat/src/index.ts',
    '^@sipr/sdk$': '<rootDir>/sdk/src/index.ts',
  },
  testEnvironment: 'node',
  rootDir: __dirname,
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/', '<rootDir>/test/fixtures/.*/node_modules/'],
};

module.exports = {
  testTimeout: 30000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{core,compat,sdk,cli,lib/*,plugins/*}/test/**/*.test.ts', '<rootDir>/test/unit/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
    },
  ],
};
