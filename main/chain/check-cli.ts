/**
 * `npm run chain:check -- [--network finney|test|custom] [--endpoint URL] [--netuid N]
 *   [--hotkey SS58] [--json]`: reads the subnet's metagraph from the chain and prints what an
 * operator can check against taostats: block, uids, validators, burn, the top miners, and where
 * a hotkey stands.
 */
import { DEFAULT_NETUID, NetworkSchema } from '../../shared/domain/settings.js';
import { fail, readFlags, usageError, wholeNumberOption } from '../base/cli.js';
import { LogService } from '../log/log-service.js';
import { chainEndpoint } from './networks.js';
import { standingOf } from './standing.js';
import { SubtensorClient } from './subtensor-client.js';
import { errorMessage } from '../../shared/errors.js';

const USAGE =
  'Usage: npm run chain:check -- [--network finney|test|custom] [--endpoint URL] [--netuid N] [--hotkey SS58] [--json]';

async function main(): Promise<void> {
  const values = readFlags({
    usage: USAGE,
    flags: { network: 'string', endpoint: 'string', netuid: 'string', hotkey: 'string', json: 'boolean' },
  });
  const network = NetworkSchema.safeParse(values.network ?? 'finney');
  if (!network.success || network.data === 'local') usageError('--network must be finney, test or custom.', USAGE);
  const netuid =
    values.netuid === undefined
      ? DEFAULT_NETUID[network.data]
      : wholeNumberOption('netuid', values.netuid, 0, 65535, USAGE);
  const endpoint = chainEndpoint({ network: network.data, endpoint: values.endpoint ?? null, netuid });
  if (!endpoint) usageError('A custom network needs --endpoint.', USAGE);

  const log = new LogService({ filePath: null });
  const client = await SubtensorClient.connect(endpoint, log.forSource('chain'));
  try {
    const metagraph = await client.metagraph(netuid);
    const hotkey = values.hotkey;
    const standing = hotkey ? standingOf(metagraph, hotkey) : null;
    const miners = metagraph.neurons.filter((n) => !n.validatorPermit).sort((a, b) => b.incentive - a.incentive);
    const summary = {
      endpoint,
      netuid,
      block: metagraph.block,
      uids: metagraph.neurons.length,
      maxUids: metagraph.maxUids,
      validatorsWithPermit: metagraph.neurons.filter((n) => n.validatorPermit).length,
      tempo: metagraph.tempo,
      immunityPeriod: metagraph.immunityPeriod,
      burnTao: metagraph.burn,
      alphaPriceTao: metagraph.alphaPrice,
      minerIncentives: miners.map((n) => n.incentive),
      topMiners: miners
        .slice(0, 5)
        .map((n) => ({ uid: n.uid, hotkey: n.hotkey, incentive: n.incentive, emission: n.emission })),
      ...(hotkey ? { hotkey, standing } : {}),
    };
    if (values.json) {
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      return;
    }
    const lines = [
      `${endpoint}, subnet ${netuid} at block ${summary.block}`,
      `  uids            ${summary.uids} of ${summary.maxUids} (${summary.validatorsWithPermit} validators with a permit)`,
      `  tempo           ${summary.tempo} blocks; immunity ${summary.immunityPeriod} blocks`,
      `  burn            ${summary.burnTao.toFixed(4)} TAO to register`,
      `  α price         ${summary.alphaPriceTao === null ? 'n/a' : `${summary.alphaPriceTao.toFixed(6)} TAO`}`,
      '  top miners by incentive:',
      ...summary.topMiners.map(
        (n) =>
          `    uid ${String(n.uid).padStart(3)}  ${n.hotkey}  incentive ${n.incentive.toFixed(4)}  emission ${n.emission.toFixed(3)} α`,
      ),
    ];
    if (hotkey)
      lines.push(
        standing
          ? `  ${hotkey}: uid ${standing.uid}, rank ${standing.rank} of ${standing.miners} miners, ${standing.emissionPerDayAlpha.toFixed(2)} α/day, deregistration ${standing.deregistration}`
          : `  ${hotkey} is not registered on subnet ${netuid}`,
      );
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await client.close();
    await log.close();
  }
}

main().catch((error: unknown) => fail(`chain:check failed: ${errorMessage(error)}`));
