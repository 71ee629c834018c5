/** `npm run eval -- --model DIR --data DIR [--json] [--split val] [--batch N]` */
import { parseArgs } from 'node:util';
import { fail, USAGE_ERROR, wholeNumberOption } from '../base/cli.js';
import { evaluateModel, formatReport } from './evaluate.js';

const USAGE = 'Usage: npm run eval -- --model DIR --data DIR [--json] [--split train|val] [--batch N]';

async function main(): Promise<void> {
  let values: { model?: string; data?: string; json?: boolean; split?: string; batch?: string };
  try {
    ({ values } = parseArgs({
      options: {
        model: { type: 'string' },
        data: { type: 'string' },
        json: { type: 'boolean' },
        split: { type: 'string' },
        batch: { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    fail(`${error instanceof Error ? error.message : String(error)}. ${USAGE}`, USAGE_ERROR);
  }
  if (!values.model || !values.data) fail(`--model and --data are required. ${USAGE}`, USAGE_ERROR);
  if (values.split !== undefined && values.split !== 'train' && values.split !== 'val') {
    fail(`--split must be train or val. ${USAGE}`, USAGE_ERROR);
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

main().catch((error: unknown) => fail(`Evaluation failed: ${error instanceof Error ? error.message : String(error)}`));
