// Bundles the Node side: the headless host, the Electron main process and its sandboxed preload,
// and the helper processes (the inference worker, the terminals' pty host) beside each process
// that starts them. npm packages stay external (native modules must load from node_modules); our
// code is inlined.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', sourcemap: true, logLevel: 'warning', target: 'node20' };
const esm = (entry, outfile) =>
  build({ ...common, entryPoints: [entry], outfile, format: 'esm', packages: 'external' });

await Promise.all([
  esm('main/serve.ts', 'build/main/serve.js'),
  esm('main/mine.ts', 'build/main/mine.js'),
  esm('main/inference/worker-main.ts', 'build/main/inference-worker.js'),
  esm('main/terminal/pty-host-main.ts', 'build/main/pty-host.js'),
  esm('electron/main.ts', 'build/electron/main.js'),
  esm('main/inference/worker-main.ts', 'build/electron/inference-worker.js'),
  esm('main/terminal/pty-host-main.ts', 'build/electron/pty-host.js'),
  // A sandboxed preload may require only `electron`: everything else is bundled in.
  build({
    ...common,
    entryPoints: ['electron/preload.ts'],
    outfile: 'build/electron/preload.cjs',
    format: 'cjs',
    external: ['electron'],
  }),
]);
