// `npm start`: opens the built console in Electron. Where the Electron binary cannot be had
// (it downloads from outside the npm registry), says so in one sentence and points to the
// headless console instead of failing with a stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function electronPackageDir() {
  try {
    return dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/** The binary the electron package would run, if it is on disk; never downloads. */
function findElectronBinary(packageDir) {
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(packageDir, 'dist');
  const binary = join(distDir, relative ?? 'electron');
  return existsSync(binary) ? binary : null;
}

function tryDownload(packageDir) {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD || process.env.CI) return;
  process.stdout.write('Fetching the Electron binary (first start only)…\n');
  spawnSync(process.execPath, [join(packageDir, 'install.js')], { stdio: 'ignore', timeout: 10 * 60 * 1000 });
}

const packageDir = electronPackageDir();
let binary = packageDir ? findElectronBinary(packageDir) : null;
if (packageDir && !binary) {
  tryDownload(packageDir);
  binary = findElectronBinary(packageDir);
}
if (!binary) {
  process.stderr.write(
    'The Electron binary is not installed on this machine, so the desktop window cannot open: run `npm run serve` to use the console in a browser.\n',
  );
  process.exit(1);
}

const child = spawn(binary, [root, ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
