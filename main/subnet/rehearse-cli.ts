/**
 * `npm run rehearse -- [--model DIR] [--validators N] [--peers N] [--challenges N] [--seed S]
 *   [--folder DIR] [--constant P] [--json]`
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findResourcesDir } from '../app/resources-dir.js';
import { fail, USAGE_ERROR, wholeNumberOption } from '../base/cli.js';
import { LogService } from '../log/log-service.js';
import { formatRehearsal, rehearse } from './rehearsal.js';

const USAGE =
  'Usage: npm run rehearse -- [--model DIR] [--validators 1-5] [--peers N] [--peer-skill LOW-HIGH] [--fit-to CHAIN_CHECK.json] [--challenges N] [--seed S] [--folder DIR] [--constant P] [--json]';

async function main(): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        model: { type: 'string' },
        validators: { type: 'string' },
        peers: { type: 'string' },
        challenges: { type: 'string' },
        seed: { type: 'string' },
        folder: { type: 'string' },
        constant: { type: 'string' },
        'peer-skill': { type: 'string' },
        'fit-to': { type: 'string' },
        json: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    fail(`${error instanceof Error ? error.message : String(error)}. ${USAGE}`, USAGE_ERROR);
  }
  const text = (name: string): string | undefined => values[name] as string | undefined;
  const constant = text('constant') === undefined ? undefined : Number(text('constant'));
  if (constant !== undefined && !(constant >= 0 && constant <= 1))
    fail(`--constant must be a number from 0 to 1. ${USAGE}`, USAGE_ERROR);
  const skill = text('peer-skill');
  const range = skill === undefined ? undefined : /^(0?\.\d+|1(?:\.0+)?)-(0?\.\d+|1(?:\.0+)?)$/.exec(skill);
  if (range === null || (range && Number(range[1]) > Number(range[2])))
    fail(`--peer-skill must be LOW-HIGH with 0 ≤ LOW ≤ HIGH ≤ 1, such as 0.5-0.98. ${USAGE}`, USAGE_ERROR);
  const fitTo = text('fit-to') === undefined ? undefined : await readIncentives(text('fit-to')!);
  const log = new LogService({ filePath: null });
  const result = await rehearse({
    modelDir: text('model') ?? join(findResourcesDir(), 'models', 'default'),
    answer: constant === undefined ? undefined : () => Promise.resolve(constant),
    validators:
      text('validators') === undefined ? undefined : wholeNumberOption('validators', text('validators'), 1, 5, USAGE),
    peers: text('peers') === undefined ? undefined : wholeNumberOption('peers', text('peers'), 0, 250, USAGE),
    challenges:
      text('challenges') === undefined
        ? undefined
        : wholeNumberOption('challenges', text('challenges'), 1, 100_000, USAGE),
    seed: text('seed') === undefined ? undefined : wholeNumberOption('seed', text('seed'), 0, 2 ** 31, USAGE),
    folder: text('folder'),
    peerSkill: range ? { lowest: Number(range[1]), highest: Number(range[2]) } : undefined,
    fitTo,
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
    fail(
      `${file} has no minerIncentives: save the output of npm run chain:check -- --json to it. ${USAGE}`,
      USAGE_ERROR,
    );
  return incentives;
}

main().catch((error: unknown) => fail(`Rehearsal failed: ${error instanceof Error ? error.message : String(error)}`));
