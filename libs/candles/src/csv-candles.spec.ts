import { loadReplaySource } from './candle-source';
import { CandleFileError, parseCandleFileSpecs, parseCandlesCsv, parseOpenTime, symbolFromFileName } from './csv-candles';

const T0 = Date.UTC(2024, 0, 1);

describe('parseOpenTime', () => {
  it.each([
    ['seconds', String(T0 / 1000), T0],
    ['milliseconds', String(T0), T0],
    ['microseconds (Binance since 2025)', String(T0 * 1000), T0],
    ['ISO 8601', '2024-01-01T00:00:00Z', T0],
    ['quoted', `"${T0}"`, T0],
    ['smallest ms value', '100000000000', 100_000_000_000],
    ['just below: read as seconds', '99999999999', 99_999_999_999_000],
    ['garbage', 'open_time', null],
    ['negative', '-5', null],
  ])('%s', (_name, raw, expected) => {
    expect(parseOpenTime(raw)).toBe(expected);
  });
});

describe('parseCandlesCsv', () => {
  it('reads the Bybit layout with a header, sorting newest-first rows by time', () => {
    const csv = ['startTime,open,high,low,close,volume,turnover', `${T0 + 60_000},101,103,100,102,5,510`, `${T0},100,102,99,101,4,404`].join('\n');
    const { candles, interval, intervalMs } = parseCandlesCsv(csv, 'f.csv');
    expect(interval).toBe('1');
    expect(intervalMs).toBe(60_000);
    expect(candles).toEqual([
      { start: T0, open: 100, high: 102, low: 99, close: 101, volume: 4, turnover: 404 },
      { start: T0 + 60_000, open: 101, high: 103, low: 100, close: 102, volume: 5, turnover: 510 },
    ]);
  });

  it('reads headerless rows in seconds, computing turnover when absent', () => {
    const csv = `${T0 / 1000},10,11,9,10.5,2\n${T0 / 1000 + 300},10.5,12,10,11,3\n`;
    const { candles, interval } = parseCandlesCsv(csv);
    expect(interval).toBe('5');
    expect(candles[1]).toEqual({ start: T0 + 300_000, open: 10.5, high: 12, low: 10, close: 11, volume: 3, turnover: 33 });
  });

  it('reads Binance 12-column klines: the 7th column (close time) is not taken as turnover', () => {
    const row = (t: number, c: number) => [t, 100, 101, 99, c, 2, t + 59_999, 200.5, 10, 1, 100, 0].join(',');
    const { candles } = parseCandlesCsv([row(T0, 100), row(T0 + 60_000, 100.5), row(T0 + 120_000, 101)].join('\n'));
    expect(candles[0].turnover).toBe(200); // volume × close
    expect(candles).toHaveLength(3);
  });

  it('takes a named quote_volume column as turnover', () => {
    const csv = ['open_time,open,high,low,close,volume,close_time,quote_volume', `${T0},1,1,1,1,2,${T0 + 59_999},7`, `${T0 + 60_000},1,1,1,1,2,${T0 + 119_999},8`].join('\n');
    expect(parseCandlesCsv(csv).candles.map((c) => c.turnover)).toEqual([7, 8]);
  });

  it('reads quoted fields with a separator inside (RFC 4180), so the columns stay where the header says', () => {
    const csv = ['"open time, UTC",open,high,low,close,volume,"quote volume"', `"${T0}",1,1,1,1,2,"7"`, `${T0 + 60_000},1,1,1,1,2,8`].join('\r\n');
    expect(parseCandlesCsv(csv).candles.map((c) => c.turnover)).toEqual([7, 8]);
  });

  it('names the line of an unterminated quote', () => {
    expect(() => parseCandlesCsv(`${T0},1,1,1,1,2\n"${T0 + 60_000},1,1,1,1,2`, 'my.csv')).toThrow(/my\.csv line 2: not a readable CSV file/);
  });

  it('accepts semicolons, tabs, blank lines, comments and a BOM, and drops duplicate times', () => {
    const csv = `\uFEFF# exported\n${T0};1;2;0.5;1.5;1\n\n${T0}\t1\t2\t0.5\t1.5\t1\n${T0 + 60_000};1.5;2;1;1.8;1\n`;
    expect(parseCandlesCsv(csv).candles).toHaveLength(2);
  });

  it.each([
    ['too few fields', `${T0},1,2,0.5,1.5\n${T0 + 60_000},1,2,0.5,1.5,1`, /line 1: expected open time/],
    ['a bad time', `${T0},1,2,0.5,1.5,1\nyesterday,1,2,0.5,1.5,1`, /line 2: open time "yesterday"/],
    ['a bad number', `${T0},1,2,0.5,abc,1\n${T0 + 60_000},1,2,0.5,1.5,1`, /line 1: close "abc" is not a number/],
    ['a zero price', `${T0},0,2,0.5,1.5,1\n${T0 + 60_000},1,2,0.5,1.5,1`, /line 1: prices must be > 0/],
    ['high below close', `${T0},1,1.2,0.5,1.5,1\n${T0 + 60_000},1,2,0.5,1.5,1`, /line 1: high 1.2/],
    ['negative volume', `${T0},1,2,0.5,1.5,-1\n${T0 + 60_000},1,2,0.5,1.5,1`, /volume must be >= 0/],
    ['a single candle', `${T0},1,2,0.5,1.5,1`, /at least 2 candles/],
    ['no Bybit interval', `${T0},1,2,0.5,1.5,1\n${T0 + 120_000},1,2,0.5,1.5,1`, /120 s apart/],
  ])('refuses %s, naming file and line', (_name, csv, message) => {
    expect(() => parseCandlesCsv(csv, 'my.csv')).toThrow(CandleFileError);
    expect(() => parseCandlesCsv(csv, 'my.csv')).toThrow(message);
  });
});

describe('candle file specs', () => {
  it.each([
    ['data/BTCUSDT-1m-2024-01.csv', 'BTCUSDT'],
    ['/tmp/ethusdt_5m.csv', 'ETHUSDT'],
    ['SOLUSDC.csv', 'SOLUSDC'],
    ['prices.csv', null],
  ])('symbol of %s is %s', (path, symbol) => {
    expect(symbolFromFileName(path)).toBe(symbol);
  });

  it('reads SYMBOL=path entries and falls back to the file name, then the default', () => {
    expect(parseCandleFileSpecs('ETHUSDT=/a.csv, /b/BTCUSDT-1m.csv,/c/prices.csv', 'XRPUSDT')).toEqual([
      { symbol: 'ETHUSDT', path: '/a.csv' },
      { symbol: 'BTCUSDT', path: '/b/BTCUSDT-1m.csv' },
      { symbol: 'XRPUSDT', path: '/c/prices.csv' },
    ]);
    expect(() => parseCandleFileSpecs('a.csv,b.csv')).toThrow(/BTCUSDT twice/);
  });
});

describe('loadReplaySource', () => {
  const files: Record<string, string> = {
    btc: `${T0},1,2,0.5,1.5,1\n${T0 + 60_000},1.5,2,1,1.8,1\n${T0 + 120_000},1.8,2,1,1.9,1`,
    eth: `${T0 + 60_000},10,12,9,11,1\n${T0 + 120_000},11,12,10,11.5,1`,
    fiveMin: `${T0},1,2,0.5,1.5,1\n${T0 + 300_000},1.5,2,1,1.8,1`,
  };
  const read = (p: string): string => {
    if (!(p in files)) throw new Error('ENOENT: no such file');
    return files[p];
  };

  it('replays files side by side on one timeline until they run out', () => {
    const src = loadReplaySource([{ symbol: 'BTCUSDT', path: 'btc' }, { symbol: 'ETHUSDT', path: 'eth' }], read);
    expect(src.startTime).toBe(T0);
    expect(src.remaining()).toBe(3);
    expect([...(src.next()?.candles.keys() ?? [])]).toEqual(['BTCUSDT']);
    expect([...(src.next()?.candles.keys() ?? [])]).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(src.next()?.start).toBe(T0 + 120_000);
    expect(src.next()).toBeNull();
  });

  it('refuses unreadable files and files of different intervals', () => {
    expect(() => loadReplaySource([{ symbol: 'BTCUSDT', path: 'missing' }], read)).toThrow(/cannot read candle file missing: ENOENT/);
    expect(() => loadReplaySource([{ symbol: 'BTCUSDT', path: 'btc' }, { symbol: 'ETHUSDT', path: 'fiveMin' }], read)).toThrow(/share one interval/);
  });
});
