// Bundles the Node side: the headless host, the Electron main process and its sandboxed preload.
// npm packages stay external (native modules must load from node_modules); our code is inlined.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', sourcemap: true, logLevel: 'warning', target: 'node20' };

await Promise.all([
  build({
    ...common,
    entryPoints: ['main/serve.ts'],
    outfile: 'build/main/serve.js',
    format: 'esm',
    packages: 'external',
  }),
  build({
    ...common,
    entryPoints: ['electron/main.ts'],
    outfile: 'build/electron/main.js',
    format: 'esm',
    packages: 'external',
  }),
  // A sandboxed preload may require only `electron`: everything else is bundled in.
  build({
    ...common,
    entryPoints: ['electron/preload.ts'],
    outfile: 'build/electron/preload.cjs',
    format: 'cjs',
    external: ['electron'],
  }),
]);
