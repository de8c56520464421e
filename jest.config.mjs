// Jest runs in native ESM (STACK.md): node --experimental-vm-modules, swc transform.
const swc = [
  '@swc/jest',
  {
    swcrc: false,
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
    module: { type: 'es6' },
  },
];
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@app/(.*)\\.js$': '<rootDir>/src/$1',
    '^@libs/(.*)\\.js$': '<rootDir>/libs/$1',
    '^@migrations/(.*)\\.js$': '<rootDir>/migrations/$1',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
};
export default {
  maxWorkers: 2,
  // A worker that ran many end-to-end files held 1.0-1.2 GB: Jest's native ESM mode keeps each
  // test file's module registry (jestjs/jest#14605). Its heap then took longer to unmap at exit
  // than Jest's 500 ms grace, so Jest reported a worker that "failed to exit gracefully", though
  // no handle was open (--detectOpenHandles finds none). Workers above this are replaced between
  // files, so none grows that large.
  workerIdleMemoryLimit: '700MB',
  testTimeout: 30000,
  globalSetup: '<rootDir>/test/setup/global-setup.mjs',
  globalTeardown: '<rootDir>/test/setup/global-teardown.mjs',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts', '<rootDir>/web/src/**/*.spec.ts'] },
    // Services and repositories against the real PostgreSQL, without HTTP: each statement directly.
    { ...common, displayName: 'medium', testMatch: ['<rootDir>/test/medium/**/*.medium-spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
