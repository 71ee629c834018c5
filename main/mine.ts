/**
 * `npm run mine -- --network local|test|finney|custom --netuid N --wallet.name W --wallet.hotkey H
 *   [--wallet.path DIR] [--subtensor.chain_endpoint URL] --axon.port P [--axon.external_ip IP]
 *   [--model DIR] [--data-dir DIR]`
 * Mining with no UI, with btcli's flag names. The flags apply to this run only; the log goes to
 * stdout; SIGINT or SIGTERM stops cleanly, finishing the requests in flight. It holds the data
 * folder while it runs: a console (`npm run serve`, the desktop app) on the same folder is refused.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_NETUID, NetworkSchema, type SettingsPatch } from '../shared/domain/settings.js';
import { defaultDataDir } from './app/data-dir.js';
import { fail, USAGE_ERROR, wholeNumberOption } from './base/cli.js';
import { guardProcess, logUnexpectedTo, setUnexpectedErrorSink } from './base/unexpected-errors.js';
import { createHost } from './host.js';

const USAGE =
  'Usage: npm run mine -- [--network local|test|finney|custom] [--netuid N] [--wallet.name W] [--wallet.hotkey H] [--wallet.path DIR] [--subtensor.chain_endpoint URL] [--axon.port P] [--axon.external_ip IP] [--model DIR] [--data-dir DIR]';

async function main(): Promise<void> {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        network: { type: 'string' },
        netuid: { type: 'string' },
        'wallet.name': { type: 'string' },
        'wallet.hotkey': { type: 'string' },
        'wallet.path': { type: 'string' },
        'axon.port': { type: 'string' },
        'axon.external_ip': { type: 'string' },
        'subtensor.chain_endpoint': { type: 'string' },
        model: { type: 'string' },
        'data-dir': { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    fail(`${error instanceof Error ? error.message : String(error)}. ${USAGE}`, USAGE_ERROR);
  }
  const network = values.network === undefined ? undefined : NetworkSchema.safeParse(values.network);
  if (network && !network.success) fail(`--network must be local, test, finney or custom. ${USAGE}`, USAGE_ERROR);
  const overrides: SettingsPatch = {
    chain: {
      ...(network?.success ? { network: network.data } : {}),
      // A network named without a netuid mines on StreetVision's netuid there.
      ...(values.netuid !== undefined
        ? { netuid: wholeNumberOption('netuid', values.netuid, 0, 65535, USAGE) }
        : network?.success
          ? { netuid: DEFAULT_NETUID[network.data] }
          : {}),
      ...(values['subtensor.chain_endpoint'] !== undefined ? { endpoint: values['subtensor.chain_endpoint'] } : {}),
    },
    wallet: {
      ...(values['wallet.name'] !== undefined ? { name: values['wallet.name'] } : {}),
      ...(values['wallet.hotkey'] !== undefined ? { hotkey: values['wallet.hotkey'] } : {}),
      ...(values['wallet.path'] !== undefined ? { path: values['wallet.path'] } : {}),
    },
    axon: {
      ...(values['axon.port'] !== undefined
        ? { port: wholeNumberOption('axon.port', values['axon.port'], 1, 65535, USAGE) }
        : {}),
      ...(values['axon.external_ip'] !== undefined ? { externalIp: values['axon.external_ip'] } : {}),
    },
    inference: values.model !== undefined ? { modelDir: values.model } : {},
  };

  const host = await createHost({
    kind: 'headless',
    dataDir: values['data-dir'] ?? defaultDataDir(),
    echoLog: 'stdout',
    program: 'npm run mine',
    // It starts the miner itself, with its flags.
    resumeMining: false,
  });
  setUnexpectedErrorSink(logUnexpectedTo(host.log.forSource('unexpected')));
  const status = await host.miner.start(overrides);
  if (status.state !== 'serving') {
    await host.close();
    fail(`Mining could not start: ${status.message}`);
  }
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    // This command is what mines: stopping it is the operator's Stop, and a console opened on
    // the folder later does not resume it (a restart of `npm run mine` mines anyway).
    host.alerts.noteOperatorStop();
    void host.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

// An error nobody caught is logged and the miner keeps serving.
guardProcess();
main().catch((error: unknown) =>
  fail(`npm run mine failed: ${error instanceof Error ? error.message : String(error)}`),
);
