// ESM all the way: workspace packages are TS sources, transformed by swc.
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/events-schema', '<rootDir>/packages', '<rootDir>/services', '<rootDir>/infra'],
  testMatch: ['**/test/**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'es6' },
      },
    ],
  },
  testTimeout: 30000,
  modulePathIgnorePatterns: ['<rootDir>/infra/cdk.out'],
};
