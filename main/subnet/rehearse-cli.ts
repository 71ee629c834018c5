/**
 * `npm run rehearse -- [--model DIR] [--validators N] [--peers N] [--challenges N] [--seed S]
 *   [--folder DIR] [--constant P] [--pace real|compressed] [--mainnet-miners N] [--json]`
 * `--pace real` is a soak run: a forward every 70 s per validator, a tempo every 72 minutes.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findResourcesDir } from '../app/resources-dir.js';
import { fail, readFlags, usageError, wholeNumberOption } from '../base/cli.js';
import { LogService } from '../log/log-service.js';
import { paceNamed } from './local-subnet.js';
import { formatRehearsal, rehearse } from './rehearsal.js';
import { errorMessage } from '../../shared/errors.js';

const USAGE =
  'Usage: npm run rehearse -- [--model DIR] [--validators 1-5] [--peers N] [--peer-skill LOW-HIGH] [--fit-to CHAIN_CHECK.json] [--challenges N] [--seed S] [--folder DIR] [--constant P] [--pace real|compressed] [--mainnet-miners N] [--json]';

async function main(): Promise<void> {
  const values = readFlags({
    usage: USAGE,
    flags: {
      model: 'string',
      validators: 'string',
      peers: 'string',
      challenges: 'string',
      seed: 'string',
      folder: 'string',
      constant: 'string',
      'peer-skill': 'string',
      'fit-to': 'string',
      pace: 'string',
      'mainnet-miners': 'string',
      json: 'boolean',
    },
  });
  const constant = values.constant === undefined ? undefined : Number(values.constant);
  if (constant !== undefined && !(constant >= 0 && constant <= 1))
    usageError('--constant must be a number from 0 to 1.', USAGE);
  const skill = values['peer-skill'];
  const range = skill === undefined ? undefined : /^(0?\.\d+|1(?:\.0+)?)-(0?\.\d+|1(?:\.0+)?)$/.exec(skill);
  if (range === null || (range && Number(range[1]) > Number(range[2])))
    usageError('--peer-skill must be LOW-HIGH with 0 ≤ LOW ≤ HIGH ≤ 1, such as 0.5-0.98.', USAGE);
  const pace = values.pace === undefined ? undefined : paceNamed(values.pace);
  if (pace === null) usageError('--pace must be real or compressed.', USAGE);
  const fitTo = values['fit-to'] === undefined ? undefined : await readIncentives(values['fit-to']);
  const log = new LogService({ filePath: null });
  const result = await rehearse({
    modelDir: values.model ?? join(findResourcesDir(), 'models', 'default'),
    answer: constant === undefined ? undefined : () => Promise.resolve(constant),
    validators:
      values.validators === undefined ? undefined : wholeNumberOption('validators', values.validators, 1, 5, USAGE),
    peers: values.peers === undefined ? undefined : wholeNumberOption('peers', values.peers, 0, 250, USAGE),
    challenges:
      values.challenges === undefined
        ? undefined
        : wholeNumberOption('challenges', values.challenges, 1, 100_000, USAGE),
    seed: values.seed === undefined ? undefined : wholeNumberOption('seed', values.seed, 0, 2 ** 31, USAGE),
    folder: values.folder,
    peerSkill: range ? { lowest: Number(range[1]), highest: Number(range[2]) } : undefined,
    fitTo,
    pace,
    mainnetMiners:
      values['mainnet-miners'] === undefined
        ? undefined
        : wholeNumberOption('mainnet-miners', values['mainnet-miners'], 1, 65535, USAGE),
    log: log.forSource('rehearsal'),
  });
  process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatRehearsal(result)}\n`);
  await log.close();
}

/** `minerIncentives` from `npm run chain:check -- --json` saved to a file. */
async function readIncentives(file: string): Promise<number[]> {
  const parsed = JSON.parse(await readFile(file, 'utf8')) as { minerIncentives?: unknown };
  const incentives = parsed.minerIncentives;
  if (!Array.isArray(incentives) || incentives.length < 2 || !incentives.every((x) => typeof x === 'number'))
    usageError(`${file} has no minerIncentives: save the output of npm run chain:check -- --json to it.`, USAGE);
  return incentives;
}

main().catch((error: unknown) => fail(`Rehearsal failed: ${errorMessage(error)}`));
