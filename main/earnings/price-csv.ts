/**
 * A TAO/USD price list as the operator exports it from an exchange or a price site: one
 * `date,price` line per day (YYYY-MM-DD, USD per TAO), an optional header line. A line that does
 * not read is refused with its number, and nothing of the file is taken.
 */
export interface DailyPrice {
  date: string;
  usd: number;
}

export class PriceCsvError extends Error {}

const HEADER = /^\s*"?date"?\s*,\s*"?[a-z _/()-]*"?\s*$/i;
const LINE = /^\s*"?(\d{4}-\d{2}-\d{2})"?\s*,\s*"?([^",]+?)"?\s*$/;

export function parsePriceCsv(text: string): DailyPrice[] {
  const prices: DailyPrice[] = [];
  const seen = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const lineNumber = index + 1;
    if (raw.trim() === '' || (prices.length === 0 && HEADER.test(raw))) return;
    const match = LINE.exec(raw);
    if (!match) throw new PriceCsvError(`Line ${lineNumber}: expected "YYYY-MM-DD,price", got "${clip(raw)}".`);
    const [, date, priceText] = match as unknown as [string, string, string];
    if (!isCalendarDate(date)) throw new PriceCsvError(`Line ${lineNumber}: ${date} is not a date.`);
    const usd = Number(priceText);
    if (!Number.isFinite(usd) || usd <= 0)
      throw new PriceCsvError(`Line ${lineNumber}: the price "${clip(priceText)}" is not a positive number.`);
    const earlier = seen.get(date);
    if (earlier !== undefined)
      throw new PriceCsvError(`Line ${lineNumber}: ${date} is already priced on line ${earlier}.`);
    seen.set(date, lineNumber);
    prices.push({ date, usd });
  });
  if (prices.length === 0) throw new PriceCsvError('The file holds no "YYYY-MM-DD,price" lines.');
  return prices.sort((a, b) => a.date.localeCompare(b.date));
}

function isCalendarDate(date: string): boolean {
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date);
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
