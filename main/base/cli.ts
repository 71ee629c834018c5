/**
 * What the console's command-line tools share: one way to read their flags (with `--help`, and a
 * usage error that names the flag at fault), a one-line failure, and checked whole numbers.
 */
import { parseArgs } from 'node:util';

/** Exit code for a usage error, as the shells' convention has it. */
export const USAGE_ERROR = 2;

/** A tool's flags by name (without the dashes): `--name VALUE` for a string, `--name` for a boolean. */
export type FlagSpecs = Record<string, 'string' | 'boolean'>;

export type FlagValues<F extends FlagSpecs> = { [K in keyof F]?: F[K] extends 'boolean' ? boolean : string };

export interface CommandLineSpec<F extends FlagSpecs> {
  /** `Usage: npm run … -- [--flag VALUE]…`: printed for `--help` and after every usage error. */
  usage: string;
  flags: F;
}

/** A command line the tool cannot take; the message names the flag or word at fault. */
export class UsageError extends Error {}

/**
 * Reads `args` against `flags`, or throws a UsageError. `--help` (or `-h`) anywhere asks for the
 * usage instead; every other flag must be one of `flags`, and no bare words are taken.
 */
export function parseFlags<F extends FlagSpecs>(
  args: readonly string[],
  flags: F,
): { help: true } | { help: false; values: FlagValues<F> } {
  const options = Object.fromEntries(Object.entries(flags).map(([name, type]) => [name, { type }]));
  const { tokens } = parseArgs({
    args: [...args],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  if (tokens.some((token) => token.kind === 'option' && HELP.has(token.rawName))) return { help: true };
  const values: Record<string, string | boolean> = {};
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      throw new UsageError(`Unexpected "${token.value}": every value follows the flag it belongs to.`);
    }
    const type = Object.hasOwn(flags, token.name) ? flags[token.name] : undefined;
    if (!type) throw new UsageError(`Unknown option ${token.rawName}.`);
    if (type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value.`);
      values[token.name] = true;
      continue;
    }
    // `--count --seed 3`: the next flag is not --count's value (`--count=-1` passes one that starts with "-").
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-'))) {
      throw new UsageError(`${token.rawName} needs a value.`);
    }
    values[token.name] = token.value;
  }
  return { help: false, values: values as FlagValues<F> };
}

const HELP = new Set(['--help', '-h']);

/**
 * The tool's flags from its command line: prints the usage and exits for `--help`, fails with the
 * reason and the usage (exit code 2) for a command line it cannot take.
 */
export function readFlags<F extends FlagSpecs>(
  spec: CommandLineSpec<F>,
  args: readonly string[] = process.argv.slice(2),
): FlagValues<F> {
  try {
    const parsed = parseFlags(args, spec.flags);
    if (!parsed.help) return parsed.values;
  } catch (error) {
    if (error instanceof UsageError) usageError(error.message, spec.usage);
    throw error;
  }
  process.stdout.write(`${spec.usage}\n`);
  process.exit(0);
}

export function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** Fails with `message` and the usage line, as a usage error. */
export function usageError(message: string, usage: string): never {
  fail(`${message} ${usage}`, USAGE_ERROR);
}

/** Parses `--name`'s value as a whole number in [min, max], or fails with the usage line. */
export function wholeNumberOption(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
  usage: string,
): number {
  const parsed = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isInteger(parsed) || parsed < min || parsed > max) {
    usageError(
      `--${name} must be a whole number from ${min} to ${max}${value === undefined ? '' : `, not "${value}"`}.`,
      usage,
    );
  }
  return parsed;
}
