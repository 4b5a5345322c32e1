import { parse } from 'csv-parse/sync';
import { basename } from 'node:path';

import { bybitInterval, SimCandle } from './sim-candle';

/** A candle file that cannot be replayed; the message names the file and line. */
export class CandleFileError extends Error {
  override readonly name = 'CandleFileError';
}

export interface ParsedCandles {
  candles: SimCandle[];
  /** Candle length in ms (the most common gap between consecutive open times). */
  intervalMs: number;
  /** The Bybit interval name of intervalMs ('1', '60', 'D'). */
  interval: string;
}

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** Epoch ms from seconds, milliseconds or microseconds (told apart by magnitude), or an ISO 8601 string. */
export function parseOpenTime(raw: string): number | null {
  const v = raw.trim().replace(/^"|"$/g, '');
  if (NUMBER.test(v)) {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) return null;
    if (n >= 1e14) return Math.floor(n / 1000); // microseconds
    if (n >= 1e11) return Math.floor(n); // milliseconds
    return Math.floor(n * 1000); // seconds
  }
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : t;
}

interface CsvRecord {
  fields: string[];
  /** 1-based line of the file the record starts on. */
  line: number;
}

/** RFC 4180 records (quoted fields, embedded separators and quotes) with the line each starts on. */
function readRecords(text: string, source: string): CsvRecord[] {
  try {
    const rows = parse(text, {
      bom: true,
      delimiter: [',', ';', '\t'],
      comment: '#',
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: true,
      trim: true,
      info: true,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
    return rows.map((r) => ({ fields: r.record, line: r.info.lines }));
  } catch (err) {
    const e = err as { lines?: number; message?: string };
    throw new CandleFileError(`${source}${e.lines ? ` line ${e.lines}` : ''}: not a readable CSV file (${String(e.message ?? err).slice(0, 200)})`);
  }
}

/**
 * Parses candles in the common exchange kline layout: open time, open, high, low, close, volume and
 * optionally turnover (quote volume); further columns are ignored. A header line is optional (detected
 * when its first field is not a time); with a header, a column named turnover / quote_volume /
 * quote_asset_volume is taken as turnover, otherwise the 7th column is turnover only if it is not a
 * timestamp (Binance puts the close time there). Separators: comma, semicolon or tab; fields may be quoted
 * (RFC 4180, read by csv-parse); lines starting with # are comments. Times in
 * seconds, ms or µs, or ISO 8601. Rows are sorted by time and exact duplicates of a time dropped
 * (Bybit's API lists newest first).
 */
export function parseCandlesCsv(text: string, source = 'candles'): ParsedCandles {
  const records = readRecords(text, source);
  let turnoverColumn: number | null = 6;
  let first = 0;
  if (records.length > 0 && parseOpenTime(records[0].fields[0] ?? '') === null) {
    const names = records[0].fields.map((f) => f.toLowerCase());
    const named = names.findIndex((n) => ['turnover', 'quote_volume', 'quote_asset_volume', 'quotevolume', 'quote volume'].includes(n));
    turnoverColumn = named >= 0 ? named : names.length > 6 ? null : 6;
    first = 1;
  }
  const byStart = new Map<number, SimCandle>();
  for (const { fields: f, line } of records.slice(first)) {
    const at = `${source} line ${line}`;
    if (f.length < 6) throw new CandleFileError(`${at}: expected open time, open, high, low, close, volume; got ${f.length} field(s)`);
    const start = parseOpenTime(f[0]);
    if (start === null) throw new CandleFileError(`${at}: open time ${JSON.stringify(f[0])} is not a timestamp`);
    const [open, high, low, close, volume] = f.slice(1, 6).map((v, k) => {
      const n = NUMBER.test(v) ? Number(v) : NaN;
      if (!Number.isFinite(n)) throw new CandleFileError(`${at}: ${['open', 'high', 'low', 'close', 'volume'][k]} ${JSON.stringify(v)} is not a number`);
      return n;
    });
    if (!(open > 0 && high > 0 && low > 0 && close > 0)) throw new CandleFileError(`${at}: prices must be > 0`);
    if (volume < 0) throw new CandleFileError(`${at}: volume must be >= 0`);
    if (high < Math.max(open, close, low) || low > Math.min(open, close)) {
      throw new CandleFileError(`${at}: high ${high} / low ${low} do not contain open ${open} and close ${close}`);
    }
    const rawTurnover = turnoverColumn !== null ? f[turnoverColumn] : undefined;
    const looksLikeTime = rawTurnover !== undefined && turnoverColumn === 6 && NUMBER.test(rawTurnover) && Number(rawTurnover) >= 1e11 && Number(rawTurnover) > start;
    const turnover = rawTurnover !== undefined && NUMBER.test(rawTurnover) && !looksLikeTime ? Number(rawTurnover) : volume * close;
    byStart.set(start, { start, open, high, low, close, volume, turnover });
  }
  const candles = [...byStart.values()].sort((a, b) => a.start - b.start);
  if (candles.length < 2) throw new CandleFileError(`${source}: needs at least 2 candles, found ${candles.length}`);
  const ms = mostCommonGap(candles);
  const interval = bybitInterval(ms);
  if (interval === null) {
    throw new CandleFileError(`${source}: candles are ${ms / 1000} s apart, which is no Bybit kline interval (1, 3, 5, 15, 30, 60, 120, 240, 360, 720 min, D, W)`);
  }
  return { candles, intervalMs: ms, interval };
}

function mostCommonGap(candles: SimCandle[]): number {
  const counts = new Map<number, number>();
  for (let i = 1; i < candles.length; i++) {
    const gap = candles[i].start - candles[i - 1].start;
    counts.set(gap, (counts.get(gap) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
}

const QUOTES = ['FDUSD', 'USDT', 'USDC', 'BUSD', 'USD', 'EUR', 'BTC', 'ETH'];

/** The trading symbol in a file name (`BTCUSDT-1m-2024-01.csv` → BTCUSDT), or null. */
export function symbolFromFileName(path: string): string | null {
  const name = basename(path).toUpperCase();
  for (const token of name.split(/[^A-Z0-9]+/)) {
    if (QUOTES.some((q) => token.length > q.length + 1 && token.endsWith(q)) && /^[A-Z0-9]{4,20}$/.test(token)) return token;
  }
  return null;
}

export interface CandleFileSpec {
  symbol: string;
  path: string;
}

/**
 * SIMULATOR_CANDLES_FILE → one spec per file: `path`, `SYMBOL=path`, comma-separated. A file without
 * SYMBOL= takes the symbol from its name, else `fallbackSymbol`.
 */
export function parseCandleFileSpecs(value: string, fallbackSymbol = 'BTCUSDT'): CandleFileSpec[] {
  const specs = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const m = /^([A-Z0-9]{2,20})=(.+)$/.exec(entry);
      if (m) return { symbol: m[1], path: m[2] };
      return { symbol: symbolFromFileName(entry) ?? fallbackSymbol, path: entry };
    });
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.symbol)) throw new CandleFileError(`SIMULATOR_CANDLES_FILE names ${s.symbol} twice; write SYMBOL=path for each file`);
    seen.add(s.symbol);
  }
  return specs;
}
