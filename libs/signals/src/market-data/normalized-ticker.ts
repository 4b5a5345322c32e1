import { ContractValidationError, FieldProblem } from '../validation/contract-validation.error';
import { AssetField, EnumField, NumberField } from '../validation/field-rules';
import { joinPath } from '../validation/structure-scan';
import { compact, DecimalField, decimalValue, isNormalizedShape, matchTopic, unwrapMarketMessage } from './bybit-wire';
import { validateWireData } from './wire-data';

export const BOOK_UPDATE_TYPES = ['snapshot', 'delta'] as const;
export type BookUpdateType = (typeof BOOK_UPDATE_TYPES)[number];

/** The `data` of a Bybit v5 `tickers.{symbol}` message (spot or linear; linear deltas carry only changed fields). */
export class BybitTickerData {
  @AssetField({ optional: true }) symbol?: string;
  @DecimalField({ gt: 0, optional: true }) lastPrice?: string;
  @DecimalField({ gt: 0, optional: true }) markPrice?: string;
  @DecimalField({ gt: 0, optional: true }) indexPrice?: string;
  @DecimalField({ gt: 0, optional: true }) bid1Price?: string;
  @DecimalField({ gte: 0, optional: true }) bid1Size?: string;
  @DecimalField({ gt: 0, optional: true }) ask1Price?: string;
  @DecimalField({ gte: 0, optional: true }) ask1Size?: string;
  @DecimalField({ gt: 0, optional: true }) highPrice24h?: string;
  @DecimalField({ gt: 0, optional: true }) lowPrice24h?: string;
  @DecimalField({ gt: 0, optional: true }) prevPrice24h?: string;
  @DecimalField({ gte: 0, optional: true }) volume24h?: string;
  @DecimalField({ gte: 0, optional: true }) turnover24h?: string;
  /** 24 h change as a fraction ("0.017103" = +1.71 %). */
  @DecimalField({ optional: true }) price24hPcnt?: string;
}

/** A ticker with JS numbers. `price` is lastPrice, else markPrice, else the bid/ask mid. */
export class NormalizedTicker {
  @AssetField() asset!: string;
  @NumberField({ gt: 0 }) price!: number;
  @NumberField({ gt: 0, optional: true }) bid?: number;
  @NumberField({ gt: 0, optional: true }) ask?: number;
  @NumberField({ gte: 0, optional: true }) volume_24h?: number;
  @NumberField({ gte: 0, optional: true }) turnover_24h?: number;
  @NumberField({ gt: 0, optional: true }) high_24h?: number;
  @NumberField({ gt: 0, optional: true }) low_24h?: number;
  /** 24 h change in percent (1.71 = +1.71 %). */
  @NumberField({ optional: true }) change_24h_pct?: number;
  @EnumField(BOOK_UPDATE_TYPES, { optional: true }) type?: BookUpdateType;
  /** Message time, epoch ms. */
  @NumberField({ gte: 0, integer: true }) ts!: number;

  /** Bybit ticker (bare or enveloped) -> normalized plain object; an already-normalized body passes through. */
  static fromWire(body: Record<string, unknown>): Record<string, unknown> {
    if (isNormalizedShape(body)) return body;
    const frame = unwrapMarketMessage(body);
    const problems: FieldProblem[] = [...frame.problems];
    const topic = matchTopic(frame, /^tickers\.([A-Z0-9]{2,20})$/, 'tickers.{SYMBOL}', problems);
    const { data: d, dataProblems } = validateWireData(frame, BybitTickerData, 'NormalizedTicker', problems);
    const asset = topic?.[1];
    if (asset && d.symbol !== undefined && d.symbol !== asset) {
      problems.push({ field: joinPath(frame.dataPath, 'symbol'), problems: [`must match the topic's symbol ${asset}, got ${d.symbol}`] });
    }
    const bid = decimalValue(d.bid1Price);
    const ask = decimalValue(d.ask1Price);
    const mid = bid !== undefined && ask !== undefined ? (bid + ask) / 2 : undefined;
    const price = decimalValue(d.lastPrice) ?? decimalValue(d.markPrice) ?? mid;
    if (price === undefined && dataProblems.length === 0) {
      problems.push({ field: joinPath(frame.dataPath, 'lastPrice'), problems: ['is required (no lastPrice, markPrice or bid1Price+ask1Price)'] });
    }
    if (frame.ts === undefined) problems.push({ field: 'ts', problems: ['is required (Bybit ts, or the envelope timestamp / received_at)'] });
    if (problems.length > 0) throw new ContractValidationError('NormalizedTicker', problems);
    const change = decimalValue(d.price24hPcnt);
    return compact({
      asset,
      price,
      bid,
      ask,
      volume_24h: decimalValue(d.volume24h),
      turnover_24h: decimalValue(d.turnover24h),
      high_24h: decimalValue(d.highPrice24h),
      low_24h: decimalValue(d.lowPrice24h),
      change_24h_pct: change === undefined ? undefined : Math.round(change * 1e8) / 1e6,
      type: frame.type,
      ts: frame.ts,
    });
  }
}
