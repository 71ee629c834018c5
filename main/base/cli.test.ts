import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseFlags, UsageError } from './cli.js';

const FLAGS = { count: 'string', json: 'boolean', 'data-dir': 'string' } as const;

describe('parseFlags', () => {
  it('reads string and boolean flags, in either spelling of a value', () => {
    expect(parseFlags(['--count', '3', '--json', '--data-dir=/srv/miner'], FLAGS)).toEqual({
      help: false,
      values: { count: '3', json: true, 'data-dir': '/srv/miner' },
    });
    expect(parseFlags([], FLAGS)).toEqual({ help: false, values: {} });
  });

  it('answers --help or -h wherever it stands, even beside a mistake', () => {
    expect(parseFlags(['--help'], FLAGS)).toEqual({ help: true });
    expect(parseFlags(['--count', '3', '-h'], FLAGS)).toEqual({ help: true });
    expect(parseFlags(['--bogus', '--help'], FLAGS)).toEqual({ help: true });
  });

  it.each([
    [['--bogus'], 'Unknown option --bogus.'],
    [['-x'], 'Unknown option -x.'],
    [['--count'], '--count needs a value.'],
    [['--count', '--json'], '--count needs a value.'],
    [['--json=yes'], '--json takes no value.'],
    [['stray'], 'Unexpected "stray": every value follows the flag it belongs to.'],
    [['--count', '3', '--', '--json'], 'Unexpected "--json": every value follows the flag it belongs to.'],
  ])('refuses %j, naming what is wrong', (args, message) => {
    expect(() => parseFlags(args, FLAGS)).toThrow(new UsageError(message));
  });

  it('takes a value that starts with "-" when it is joined to its flag', () => {
    expect(parseFlags(['--count=-1'], FLAGS)).toEqual({ help: false, values: { count: '-1' } });
  });
});

const run = promisify(execFile);

/** The six command-line tools, by the usage line each prints. */
const TOOLS = [
  ['main/mine.ts', 'Usage: npm run mine --'],
  ['main/serve.ts', 'Usage: npm run serve --'],
  ['main/chain/check-cli.ts', 'Usage: npm run chain:check --'],
  ['main/models/eval-cli.ts', 'Usage: npm run eval --'],
  ['main/scenes/cli.ts', 'Usage: npm run scenes --'],
  ['main/subnet/rehearse-cli.ts', 'Usage: npm run rehearse --'],
] as const;

describe('the command-line tools', { timeout: 120_000 }, () => {
  it.each(TOOLS)('%s prints its usage for --help, and names an unknown flag', async (file, usage) => {
    const tool = ['--import', 'tsx', join(import.meta.dirname, '..', '..', file)];
    const [help, wrong] = await Promise.all([
      run(process.execPath, [...tool, '--help']),
      run(process.execPath, [...tool, '--bogus']).then(
        () => null,
        (error: { code: number; stderr: string }) => error,
      ),
    ]);
    expect(help.stdout.startsWith(usage)).toBe(true);
    expect(wrong?.code).toBe(2);
    expect(wrong?.stderr).toMatch(new RegExp(`^Unknown option --bogus\\. ${usage}`));
  });
});
