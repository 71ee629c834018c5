/**
 * `npm run mine -- --network local|test|finney|custom --netuid N --wallet.name W --wallet.hotkey H
 *   [--wallet.path DIR] [--subtensor.chain_endpoint URL] --axon.port P [--axon.external_ip IP]
 *   [--model DIR] [--data-dir DIR] [--local-pace real|compressed]`
 * Mining with no UI, with btcli's flag names. The flags apply to this run only; the log goes to
 * stdout; SIGINT or SIGTERM stops cleanly, finishing the requests in flight. It holds the data
 * folder while it runs: a console (`npm run serve`, the desktop app) on the same folder is refused.
 * `--local-pace real` runs the local network's validators at mainnet's cadence (a soak run).
 */
import { DEFAULT_NETUID, NetworkSchema, type SettingsPatch } from '../shared/domain/settings.js';
import { defaultDataDir } from './app/data-dir.js';
import { fail, readFlags, usageError, wholeNumberOption } from './base/cli.js';
import { guardProcess, logUnexpectedTo, setUnexpectedErrorSink } from './base/unexpected-errors.js';
import { createHost } from './host.js';
import { paceNamed } from './subnet/local-subnet.js';
import { errorMessage } from '../shared/errors.js';

const USAGE =
  'Usage: npm run mine -- [--network local|test|finney|custom] [--netuid N] [--wallet.name W] [--wallet.hotkey H] [--wallet.path DIR] [--subtensor.chain_endpoint URL] [--axon.port P] [--axon.external_ip IP] [--model DIR] [--data-dir DIR] [--local-pace real|compressed]';

async function main(): Promise<void> {
  const values = readFlags({
    usage: USAGE,
    flags: {
      network: 'string',
      netuid: 'string',
      'wallet.name': 'string',
      'wallet.hotkey': 'string',
      'wallet.path': 'string',
      'axon.port': 'string',
      'axon.external_ip': 'string',
      'subtensor.chain_endpoint': 'string',
      model: 'string',
      'data-dir': 'string',
      'local-pace': 'string',
    },
  });
  const localPace = values['local-pace'] === undefined ? undefined : paceNamed(values['local-pace']);
  if (localPace === null) usageError('--local-pace must be real or compressed.', USAGE);
  const network = values.network === undefined ? undefined : NetworkSchema.safeParse(values.network);
  if (network && !network.success) usageError('--network must be local, test, finney or custom.', USAGE);
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
    localPace,
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
    void host.miner
      .stop('operator')
      .then(() => host.close())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

// An error nobody caught is logged and the miner keeps serving.
guardProcess();
main().catch((error: unknown) => fail(`npm run mine failed: ${errorMessage(error)}`));
