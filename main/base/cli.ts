/** What the console's command-line tools share: a one-line failure and checked whole numbers. */

/** Exit code for a usage error, as the shells' convention has it. */
export const USAGE_ERROR = 2;

export function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
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
    fail(
      `--${name} must be a whole number from ${min} to ${max}${value === undefined ? '' : `, not "${value}"`}. ${usage}`,
      USAGE_ERROR,
    );
  }
  return parsed;
}
