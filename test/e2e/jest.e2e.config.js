/** Browser end-to-end suites: *.e2e.ts under test/e2e, one at a time (one runtime + one browser each). */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/e2e/**/*.e2e.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2021' }, module: { type: 'commonjs' } }],
  },
  testTimeout: 180000,
};
