import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './tests/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{shared,main,electron,renderer,scripts,tests}/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
          // A poll waits on real processes (sshd, the axon, a worker): the default second is too
          // little on a loaded 2-core machine. Waiting longer never makes a wrong value pass.
          expect: { poll: { timeout: 10_000 } },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          environment: 'node',
          // One Chromium at a time on a 2-core machine.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // A label, a reload, a restart: each is a round trip through the real back end.
          expect: { poll: { timeout: 15_000 } },
        },
      },
    ],
  },
});
