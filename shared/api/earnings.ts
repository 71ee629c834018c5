/** The Earnings area's part of the contract: emission against costs, per day, and whether mining pays. */
import { z } from 'zod';
import { command, stream } from '../contract-spec.js';
import { EarningsSummarySchema, PriceImportSchema } from '../domain/earnings.js';

/** How many of the newest days to list (totals, break-even and decision always cover the whole history). */
const Days = z.object({ days: z.number().int().min(1).max(3650).default(90) }).strict();

/** A price list is a line a day: a few years of it is well under this. */
export const MAX_PRICE_CSV_CHARS = 1_000_000;

export const earningsCommands = {
  'earnings.summary': command({
    request: Days,
    response: EarningsSummarySchema,
    summary:
      'Emission per UTC day in α, TAO and USD against the costs in Settings, with running totals, break-even and the decision.',
  }),
  'earnings.csv': command({
    request: Days,
    response: z.object({ filename: z.string().min(1), csv: z.string() }),
    summary: 'The same days as CSV text, to save as a file.',
  }),
  'earnings.importPrices': command({
    request: z.object({ csv: z.string().max(MAX_PRICE_CSV_CHARS) }).strict(),
    response: PriceImportSchema,
    summary:
      'Import TAO/USD prices: "YYYY-MM-DD,price" lines, or an exchange export with a date and a price (or close) column; a bad line is refused by its number and nothing is kept.',
  }),
} as const;

export const earningsStreams = {
  'earnings.summary': stream({
    params: Days,
    event: EarningsSummarySchema,
    summary: 'The summary now, then again after each new metagraph reading, cost change or price import.',
  }),
} as const;
