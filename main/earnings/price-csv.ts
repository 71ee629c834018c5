/**
 * A TAO/USD price list as the operator exports it from an exchange or a price site, read with
 * `csv-parse`: plain `date,price` lines (YYYY-MM-DD, USD per TAO), or an export with a header
 * naming its columns in any order among others (CoinGecko's `snapped_at,price,market_cap,…`, a
 * `Date,Open,High,Low,Close,…` history), separated by commas, semicolons or tabs, fields quoted
 * or not. A date may carry a time ("2026-03-01 00:00:00 UTC", "2026-03-01T00:00:00.000Z"); the
 * day it names is the one priced. A line that does not read is refused with its number, and
 * nothing of the file is taken.
 */
import { CsvError, parse, type InfoRecord } from 'csv-parse/sync';

export interface DailyPrice {
  date: string;
  usd: number;
}

export class PriceCsvError extends Error {}

/** Column names, the likeliest first: the price of the day, and the day. */
const PRICE_COLUMNS = [/^price\b/, /^close\b/, /^(tao\s*\/?\s*)?usd\b/, /^rate\b/];
const DATE_COLUMNS = [/^(date|day)\b/, /^snapped_at$/, /^time_?open$/, /^open_?time$/, /^(time|timestamp|datetime)\b/];
/** A day, then optionally a time of day and a zone, as exports write them. */
const DATE = /^(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2}))?)?$/i;
const DELIMITERS = [',', ';', '\t'] as const;

export function parsePriceCsv(text: string): DailyPrice[] {
  const rows = readRows(text);
  if (rows.length === 0) throw new PriceCsvError('The file holds no "YYYY-MM-DD,price" lines.');
  const columns = headerColumns(rows[0]!);
  const prices: DailyPrice[] = [];
  const seen = new Map<string, number>();
  for (const { fields, line } of columns.headed ? rows.slice(1) : rows) {
    const dateText = (fields[columns.date] ?? '').trim();
    const priceText = (fields[columns.price] ?? '').trim();
    const date = DATE.exec(dateText)?.[1];
    if (date === undefined)
      throw new PriceCsvError(
        `Line ${line}: expected a date (YYYY-MM-DD, a time may follow) and a price, got "${clip(fields.join(','))}".`,
      );
    if (!isCalendarDate(date)) throw new PriceCsvError(`Line ${line}: ${date} is not a date.`);
    const usd = readPrice(priceText);
    if (!Number.isFinite(usd) || usd <= 0)
      throw new PriceCsvError(`Line ${line}: the price "${clip(priceText)}" is not a positive number.`);
    const earlier = seen.get(date);
    if (earlier !== undefined) throw new PriceCsvError(`Line ${line}: ${date} is already priced on line ${earlier}.`);
    seen.set(date, line);
    prices.push({ date, usd });
  }
  if (prices.length === 0) throw new PriceCsvError('The file holds no "YYYY-MM-DD,price" lines.');
  return prices.sort((a, b) => a.date.localeCompare(b.date));
}

/** The records with the line each ends on; empty lines skipped, short or long rows kept. */
function readRows(text: string): { fields: string[]; line: number }[] {
  try {
    const records = parse(text, {
      bom: true,
      delimiter: delimiterOf(text),
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
      // With `info`, each record comes with where it was read; the sync typings leave that out.
    }) as unknown as { record: string[]; info: InfoRecord }[];
    return records.map(({ record, info }) => ({ fields: record, line: info.lines }));
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = typeof error.lines === 'number' ? error.lines : '?';
    const what =
      error.code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'a quoted field is never closed'
        : error.code === 'CSV_INVALID_CLOSING_QUOTE'
          ? 'a quote is followed by more text in the same field'
          : error.message;
    throw new PriceCsvError(`Line ${line}: ${what}.`);
  }
}

/** The separator the first line uses most: a comma unless semicolons or tabs outnumber commas. */
function delimiterOf(text: string): string {
  const first = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/, 1)[0]!
    .replace(/"[^"]*"/g, '');
  const count = (delimiter: string) => first.split(delimiter).length - 1;
  return DELIMITERS.reduce((best, delimiter) => (count(delimiter) > count(best) ? delimiter : best));
}

/** Which columns hold the day and the price; a first line that starts with a date is no header. */
function headerColumns(first: { fields: string[]; line: number }): { headed: boolean; date: number; price: number } {
  if (DATE.test(first.fields[0] ?? '')) return { headed: false, date: 0, price: 1 };
  const names = first.fields.map((name) => name.toLowerCase());
  const find = (patterns: RegExp[]) =>
    patterns.map((pattern) => names.findIndex((name) => pattern.test(name))).find((index) => index >= 0) ?? -1;
  const date = find(DATE_COLUMNS);
  const price = find(PRICE_COLUMNS);
  if (date < 0 || price < 0)
    throw new PriceCsvError(
      `Line ${first.line}: expected a header naming a date column and a price (or close) column, or "YYYY-MM-DD,price" lines; got "${clip(first.fields.join(','))}".`,
    );
  return { headed: true, date, price };
}

/** A number as exports write it: "412.5", "$412.50", "1,234.56". */
function readPrice(text: string): number {
  const bare = text.replace(/^\$\s*/, '');
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(bare)) return Number(bare.replaceAll(',', ''));
  return bare === '' ? NaN : Number(bare);
}

function isCalendarDate(date: string): boolean {
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date);
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
