/** `npm run scenes -- --out DIR --count N --seed S [--level 0-3]`: a labelled set of street scenes. */
import { DatasetExistsError, writeDataset } from './generate.js';
import type { AugmentationLevel } from './distort.js';
import { fail, readFlags, USAGE_ERROR, usageError, wholeNumberOption } from '../base/cli.js';
import { errorMessage } from '../../shared/errors.js';

const USAGE = 'Usage: npm run scenes -- --out DIR --count N --seed S [--level 0|1|2|3]';

async function main(): Promise<void> {
  const values = readFlags({
    usage: USAGE,
    flags: { out: 'string', count: 'string', seed: 'string', level: 'string' },
  });
  const out = values.out;
  if (!out) usageError('--out is required.', USAGE);
  const count = wholeNumberOption('count', values.count, 1, 1_000_000, USAGE);
  const seed = wholeNumberOption('seed', values.seed ?? '0', 0, 2 ** 32 - 1, USAGE);
  const level =
    values.level === undefined
      ? undefined
      : (wholeNumberOption('level', values.level, 0, 3, USAGE) as AugmentationLevel);
  const started = performance.now();
  let lastReport = 0;
  const result = await writeDataset({
    out,
    count,
    seed,
    level,
    onProgress: (done, total) => {
      const now = performance.now();
      if (now - lastReport > 1000 || done === total) {
        lastReport = now;
        process.stderr.write(`\r${done}/${total} images`);
      }
    },
  });
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write('\n');
  process.stdout.write(
    `Wrote ${count} images (${result.roadwork} roadwork, ${result.none} none) to ${out} in ${seconds.toFixed(1)} s; manifest: ${result.manifest}\n`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof DatasetExistsError) fail(error.message, USAGE_ERROR);
  fail(`The scenes could not be written: ${errorMessage(error)}`);
});
