import { describe, expect, it } from 'vitest';
import { parsePriceCsv } from './price-csv.js';

describe('the TAO/USD price list', () => {
  it('reads date,price lines in any order, with or without a header, quotes or CRLF', () => {
    const csv = 'Date,Price (USD)\r\n2026-03-02,"412.5"\r\n\r\n2026-03-01,400\r\n';
    expect(parsePriceCsv(csv)).toEqual([
      { date: '2026-03-01', usd: 400 },
      { date: '2026-03-02', usd: 412.5 },
    ]);
    expect(parsePriceCsv('\uFEFF2026-03-01,400\n2026-03-02,410')).toEqual([
      { date: '2026-03-01', usd: 400 },
      { date: '2026-03-02', usd: 410 },
    ]);
  });

  it("reads a price site's export: extra columns, and days written as '… 00:00:00 UTC'", () => {
    const csv = [
      'snapped_at,price,market_cap,total_volume',
      '2026-03-01 00:00:00 UTC,400.123,2950000000.5,120000000',
      '2026-03-02 00:00:00 UTC,410,3020000000,98000000.25',
    ].join('\n');
    expect(parsePriceCsv(csv)).toEqual([
      { date: '2026-03-01', usd: 400.123 },
      { date: '2026-03-02', usd: 410 },
    ]);
  });

  it("reads an exchange's daily history: the close, its columns in another order, quoted, with ISO times", () => {
    const csv = [
      '"Open","High","Low","Close","Volume","Date"',
      '"395.1","420","390.2","412.5","1,234,567","2026-03-02T00:00:00.000Z"',
      '"380","401","377","400","987,654","2026-03-01T00:00:00Z"',
    ].join('\r\n');
    expect(parsePriceCsv(csv)).toEqual([
      { date: '2026-03-01', usd: 400 },
      { date: '2026-03-02', usd: 412.5 },
    ]);
  });

  it('reads semicolon-separated exports, and prices written with a dollar sign or thousands separators', () => {
    const csv = [
      'timeOpen;timeClose;name;close;volume',
      '"2026-03-01T00:00:00.000Z";"2026-03-01T23:59:59.999Z";"Bittensor";"$1,400.50";1000',
      '"2026-03-02T00:00:00.000Z";"2026-03-02T23:59:59.999Z";"Bittensor";"410";1000',
    ].join('\n');
    expect(parsePriceCsv(csv)).toEqual([
      { date: '2026-03-01', usd: 1400.5 },
      { date: '2026-03-02', usd: 410 },
    ]);
  });

  it('refuses a bad line by its number', () => {
    expect(() => parsePriceCsv('date,price\n2026-03-01,400\n03/02/2026,410\n')).toThrow(
      'Line 3: expected a date (YYYY-MM-DD, a time may follow) and a price, got "03/02/2026,410".',
    );
    expect(() => parsePriceCsv('2026-03-01,400\n2026-03-02,abc\n')).toThrow(
      'Line 2: the price "abc" is not a positive number.',
    );
    expect(() => parsePriceCsv('2026-03-01,400\n2026-02-30,410\n')).toThrow('Line 2: 2026-02-30 is not a date.');
    expect(() => parsePriceCsv('2026-03-01,400\n2026-03-01,-1\n')).toThrow(/^Line 2: the price "-1"/);
    expect(() => parsePriceCsv('2026-03-01,400\n2026-03-01,401\n')).toThrow(
      'Line 2: 2026-03-01 is already priced on line 1.',
    );
  });

  it("names the line of an export's row that cannot be read", () => {
    const header = 'snapped_at,price,market_cap,total_volume';
    // A row cut short: no price.
    expect(() => parsePriceCsv(`${header}\n2026-03-01 00:00:00 UTC,400,1,2\n2026-03-02 00:00:00 UTC\n`)).toThrow(
      'Line 3: the price "" is not a positive number.',
    );
    // A quote that never closes, and one followed by more text.
    expect(() => parsePriceCsv(`${header}\n2026-03-01 00:00:00 UTC,400,1,2\n"2026-03-02,410,1,2\n`)).toThrow(
      /^Line \d+: a quoted field is never closed\.$/,
    );
    expect(() => parsePriceCsv(`${header}\n2026-03-01 00:00:00 UTC,"400"x,1,2\n`)).toThrow(
      'Line 2: a quote is followed by more text in the same field.',
    );
    // A time in a day that is not one, and a header without a price column.
    expect(() => parsePriceCsv(`${header}\n2026-02-30 00:00:00 UTC,400,1,2\n`)).toThrow(
      'Line 2: 2026-02-30 is not a date.',
    );
    expect(() => parsePriceCsv('date,market_cap\n2026-03-01,1\n')).toThrow(
      /^Line 1: expected a header naming a date column and a price \(or close\) column/,
    );
  });

  it('refuses a file with no prices', () => {
    expect(() => parsePriceCsv('date,price\n\n')).toThrow(/holds no/);
    expect(() => parsePriceCsv('')).toThrow(/holds no/);
  });
});
