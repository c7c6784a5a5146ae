// Jest runs the TypeScript sources as native ES modules (npm test passes
// --experimental-vm-modules), so the ESM-only @actions/* and
// @kubernetes/client-node packages load as they do in the bundle.
const tsJest = ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }];
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  // The KEDA manifests and the Python runtime indexer are imported as text, as esbuild's text loader does in the bundle.
  transform: {
    '^.+\\.ts$': tsJest,
    '^.+\\.(yaml|py)$': '<rootDir>/stack/jest-text-transform.cjs',
  },
  testEnvironment: 'node',
};

export default {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts'],
      // The leak scan over what the bundled Action and task printed.
      globalSetup: '<rootDir>/stack/jest-unit-setup.mjs',
      globalTeardown: '<rootDir>/stack/jest-unit-teardown.mjs',
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/__tests__/integration/**/*.test.ts'],
      // The local stack (stack/): brought up for the run, down again after.
      globalSetup: '<rootDir>/stack/jest-global-setup.mjs',
      globalTeardown: '<rootDir>/stack/jest-global-teardown.mjs',
    },
  ],
};
