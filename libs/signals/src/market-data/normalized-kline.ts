import { ContractValidationError, FieldProblem } from '../validation/contract-validation.error';
import { AssetField, BooleanField, EnumField, NestedArrayField, NumberField, StringField } from '../validation/field-rules';
import { validatePlain } from '../validation/parse';
import { joinPath } from '../validation/structure-scan';
import { compact, DecimalField, decimalValue, epochMsValue, EpochMsField, isNormalizedShape, isObject, matchTopic, unwrapMarketMessage } from './bybit-wire';

/** Bybit v5 kline intervals: minutes, then day / week / month. */
export const KLINE_INTERVALS = ['1', '3', '5', '15', '30', '60', '120', '240', '360', '720', 'D', 'W', 'M'] as const;
export type KlineInterval = (typeof KLINE_INTERVALS)[number];
const MAX_CANDLES = 1000;

/** One candle in the `data` array of a Bybit v5 `kline.{interval}.{symbol}` message. */
export class BybitKlineCandle {
  @EpochMsField() start!: number;
  @EpochMsField() end!: number;
  @StringField({ max: 3, optional: true }) interval?: string;
  @DecimalField({ gt: 0 }) open!: string;
  @DecimalField({ gt: 0 }) close!: string;
  @DecimalField({ gt: 0 }) high!: string;
  @DecimalField({ gt: 0 }) low!: string;
  @DecimalField({ gte: 0 }) volume!: string;
  @DecimalField({ gte: 0, optional: true }) turnover?: string;
  /** true once the candle is closed. */
  @BooleanField() confirm!: boolean;
  @EpochMsField({ optional: true }) timestamp?: number;
}

export class NormalizedCandle {
  @NumberField({ gte: 0, integer: true }) start!: number;
  @NumberField({ gte: 0, integer: true }) end!: number;
  @NumberField({ gt: 0 }) open!: number;
  @NumberField({ gt: 0 }) high!: number;
  @NumberField({ gt: 0 }) low!: number;
  @NumberField({ gt: 0 }) close!: number;
  @NumberField({ gte: 0 }) volume!: number;
  @NumberField({ gte: 0, optional: true }) turnover?: number;
  @BooleanField() confirm!: boolean;
}

/** Candles with JS numbers, oldest first as Bybit sends them. */
export class NormalizedKline {
  @AssetField() asset!: string;
  @EnumField(KLINE_INTERVALS) interval!: KlineInterval;
  @NestedArrayField(() => NormalizedCandle, { min: 1, max: MAX_CANDLES }) candles!: NormalizedCandle[];
  @NumberField({ gte: 0, integer: true }) ts!: number;

  /** Bybit kline (bare, or enveloped with one candle or the whole message) -> normalized plain object. */
  static fromWire(body: Record<string, unknown>): Record<string, unknown> {
    if (isNormalizedShape(body)) return body;
    const frame = unwrapMarketMessage(body);
    const problems: FieldProblem[] = [...frame.problems];
    const topic = matchTopic(frame, /^kline\.(1|3|5|15|30|60|120|240|360|720|D|W|M)\.([A-Z0-9]{2,20})$/, 'kline.{interval}.{SYMBOL}', problems);
    const single = isObject(frame.data);
    const items = single ? [frame.data] : frame.data;
    if (!Array.isArray(items) || items.length === 0 || items.length > MAX_CANDLES) {
      if (frame.data != null) problems.push({ field: frame.dataPath, problems: [`must be a candle or an array of 1-${MAX_CANDLES} candles`] });
      throw new ContractValidationError('NormalizedKline', problems);
    }
    const candles = items.map((item: unknown, i) => {
      const path = single ? frame.dataPath : joinPath(frame.dataPath, i);
      if (!isObject(item)) {
        problems.push({ field: path, problems: ['must be an object'] });
        return undefined;
      }
      const { instance: c, problems: candleProblems } = validatePlain(BybitKlineCandle, item, path);
      problems.push(...candleProblems);
      if (candleProblems.length > 0) return undefined;
      const [open, close, high, low] = [c.open, c.close, c.high, c.low].map((v) => decimalValue(v) as number);
      const [start, end] = [epochMsValue(c.start) as number, epochMsValue(c.end) as number];
      if (high < Math.max(open, close, low)) problems.push({ field: joinPath(path, 'high'), problems: [`must be >= open, close and low, got ${high}`] });
      if (low > Math.min(open, close)) problems.push({ field: joinPath(path, 'low'), problems: [`must be <= open and close, got ${low}`] });
      if (end <= start) problems.push({ field: joinPath(path, 'end'), problems: [`must be after start (${start}), got ${end}`] });
      if (topic && c.interval !== undefined && c.interval !== topic[1]) {
        problems.push({ field: joinPath(path, 'interval'), problems: [`must match the topic's interval ${topic[1]}, got ${c.interval}`] });
      }
      const candle = compact({ start, end, open, high, low, close, volume: decimalValue(c.volume), turnover: decimalValue(c.turnover), confirm: c.confirm });
      return { candle, timestamp: epochMsValue(c.timestamp) };
    });
    const stamps = candles.map((c) => c?.timestamp).filter((t): t is number => t !== undefined);
    const ts = frame.ts ?? (stamps.length ? Math.max(...stamps) : undefined);
    if (ts === undefined) problems.push({ field: 'ts', problems: ['is required (Bybit ts, candle timestamp, or the envelope timestamp / received_at)'] });
    if (problems.length > 0) throw new ContractValidationError('NormalizedKline', problems);
    return { asset: topic?.[2], interval: topic?.[1], candles: candles.map((c) => c?.candle), ts };
  }
}
