import { describe, expect, it } from 'vitest';
import { parsePriceCsv } from './price-csv.js';

describe('the TAO/USD price list', () => {
  it('reads date,price lines in any order, with or without a header, quotes or CRLF', () => {
    const csv = 'Date,Price (USD)\r\n2026-03-02,"412.5"\r\n\r\n2026-03-01,400\r\n';
    expect(parsePriceCsv(csv)).toEqual([
      { date: '2026-03-01', usd: 400 },
      { date: '2026-03-02', usd: 412.5 },
    ]);
  });

  it('refuses a bad line by its number', () => {
    expect(() => parsePriceCsv('date,price\n2026-03-01,400\n03/02/2026,410\n')).toThrow(
      'Line 3: expected "YYYY-MM-DD,price", got "03/02/2026,410".',
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

  it('refuses a file with no prices', () => {
    expect(() => parsePriceCsv('date,price\n\n')).toThrow(/holds no/);
  });
});
