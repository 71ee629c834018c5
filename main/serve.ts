/**
 * `npm run serve -- [--port N] [--host 127.0.0.1] [--data-dir DIR] [--local-pace real|compressed]`: the
 * console without Electron. `--local-pace real` runs the local subnet's validators at mainnet's
 * cadence (a forward every 70 s, a tempo every 72 minutes) for a soak run; the default is the demo's.
 * Serves the built renderer and the OperatorApi on loopback and prints a URL with a fresh token.
 * A miner that was serving on the network in Settings when the console last went away serves
 * again by itself (Settings: Resume mining on start). One console per data folder: a second one
 * exits saying which process holds it.
 */
import { defaultDataDir } from './app/data-dir.js';
import { fail, readFlags, usageError, wholeNumberOption } from './base/cli.js';
import { guardProcess, logUnexpectedTo, setUnexpectedErrorSink } from './base/unexpected-errors.js';
import { createHost } from './host.js';
import { isLoopback, startHeadlessServer } from './server/headless-server.js';
import { findRendererDir } from './server/renderer-dir.js';
import { paceNamed } from './subnet/local-subnet.js';
import { errorMessage } from '../shared/errors.js';

export const DEFAULT_SERVE_PORT = 7272;

const USAGE = 'Usage: npm run serve -- [--port N] [--host 127.0.0.1] [--data-dir DIR] [--local-pace real|compressed]';

async function main(): Promise<void> {
  const values = readFlags({
    usage: USAGE,
    flags: { port: 'string', host: 'string', 'data-dir': 'string', 'local-pace': 'string' },
  });
  const localPace = values['local-pace'] === undefined ? undefined : paceNamed(values['local-pace']);
  if (localPace === null) usageError('--local-pace must be real or compressed.', USAGE);
  const port = values.port === undefined ? DEFAULT_SERVE_PORT : wholeNumberOption('port', values.port, 0, 65535, USAGE);
  const host = values.host ?? '127.0.0.1';
  const dataDir = values['data-dir'] ?? defaultDataDir();

  const backEnd = await createHost({
    kind: 'headless',
    dataDir,
    echoLog: 'stderr',
    program: 'npm run serve',
    localPace,
  });
  setUnexpectedErrorSink(logUnexpectedTo(backEnd.log.forSource('unexpected')));
  const log = backEnd.log.forSource('serve');
  let server;
  try {
    server = await startHeadlessServer({ endpoint: backEnd.endpoint, log, rendererDir: findRendererDir(), host, port });
  } catch (error) {
    await backEnd.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') fail(`Port ${port} on ${host} is in use: pass --port N (0 picks a free port).`);
    if (code === 'EADDRNOTAVAIL') fail(`${host} is not an address of this machine: pass --host with one that is.`);
    throw error;
  }
  if (!isLoopback(host)) {
    log.warn(
      `Listening on ${host}: anyone who can reach it and has the token controls this miner, over plain HTTP. Prefer an SSH tunnel to 127.0.0.1.`,
    );
  }
  process.stdout.write(`StreetVision console: ${server.url}\n`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void server
      .close()
      .then(() => backEnd.close())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

// An error nobody caught is logged and the console (and its miner) keeps running.
guardProcess();
main().catch((error: unknown) => fail(`The console could not start: ${errorMessage(error)}`));
