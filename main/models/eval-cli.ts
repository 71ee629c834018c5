/** `npm run eval -- --model DIR --data DIR [--json] [--split val] [--batch N]` */
import { fail, readFlags, usageError, wholeNumberOption } from '../base/cli.js';
import { evaluateModel, formatReport } from './evaluate.js';
import { errorMessage } from '../../shared/errors.js';

const USAGE = 'Usage: npm run eval -- --model DIR --data DIR [--json] [--split train|val] [--batch N]';

async function main(): Promise<void> {
  const values = readFlags({
    usage: USAGE,
    flags: { model: 'string', data: 'string', json: 'boolean', split: 'string', batch: 'string' },
  });
  if (!values.model || !values.data) usageError('--model and --data are required.', USAGE);
  if (values.split !== undefined && values.split !== 'train' && values.split !== 'val') {
    usageError('--split must be train or val.', USAGE);
  }
  const batchSize = values.batch === undefined ? 8 : wholeNumberOption('batch', values.batch, 1, 256, USAGE);
  const report = await evaluateModel({
    modelDir: values.model,
    dataDir: values.data,
    batchSize,
    split: values.split,
  });
  if (values.json) {
    const { predictions: _predictions, ...summary } = report;
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } else {
    process.stdout.write(`${formatReport(report)}\n`);
  }
}

main().catch((error: unknown) => fail(`Evaluation failed: ${errorMessage(error)}`));
