import { ContractValidationError, FieldProblem } from '../validation/contract-validation.error';
import { AssetField, CheckField, EnumField, LevelsField, levelsProblem, NumberField } from '../validation/field-rules';
import { describeValue } from '../validation/limits';
import { joinPath } from '../validation/structure-scan';
import { compact, decimalProblem, epochMsValue, EpochMsField, isNormalizedShape, matchTopic, unwrapMarketMessage } from './bybit-wire';
import { BOOK_UPDATE_TYPES, BookUpdateType } from './normalized-ticker';
import { validateWireData } from './wire-data';

const MAX_LEVELS = 1000;

/** `[["16493.50","0.006"], ...]`: price > 0, size >= 0 (size 0 in a delta removes the level). */
function RawLevelsField(): PropertyDecorator {
  return CheckField('bybitLevels', (v) => levelsProblem(v, MAX_LEVELS, decimalProblem));
}

/** The `data` of a Bybit v5 `orderbook.{depth}.{symbol}` message. */
export class BybitOrderbookData {
  @AssetField() s!: string;
  @RawLevelsField() b!: [string, string][];
  @RawLevelsField() a!: [string, string][];
  /** Update id; 1 means a fresh snapshot after a Bybit service restart. */
  @EpochMsField({ optional: true, what: 'a non-negative integer' }) u?: number;
  @EpochMsField({ optional: true, what: 'a non-negative integer' }) seq?: number;
}

/** An order book update with JS numbers. Bids best-first, asks best-first, as Bybit sends them. */
export class NormalizedOrderbook {
  @AssetField() asset!: string;
  /**
   * snapshot: the full book at `depth`; delta: changed levels only (size 0 = remove).
   * The gateway envelope drops Bybit's `type`; such messages are read as snapshots of the levels they carry.
   */
  @EnumField(BOOK_UPDATE_TYPES) type!: BookUpdateType;
  @NumberField({ gt: 0, integer: true, optional: true }) depth?: number;
  @LevelsField(MAX_LEVELS) bids!: [number, number][];
  @LevelsField(MAX_LEVELS) asks!: [number, number][];
  @NumberField({ gte: 0, integer: true }) ts!: number;
  @NumberField({ gte: 0, integer: true, optional: true }) update_id?: number;
  @NumberField({ gte: 0, integer: true, optional: true }) seq?: number;

  /** Bybit orderbook (bare or enveloped) -> normalized plain object; an already-normalized body passes through. */
  static fromWire(body: Record<string, unknown>): Record<string, unknown> {
    if (isNormalizedShape(body)) return body;
    const frame = unwrapMarketMessage(body);
    const problems: FieldProblem[] = [...frame.problems];
    const topic = matchTopic(frame, /^orderbook\.(\d{1,4})\.([A-Z0-9]{2,20})$/, 'orderbook.{depth}.{SYMBOL}', problems);
    const { data: d } = validateWireData(frame, BybitOrderbookData, 'NormalizedOrderbook', problems);
    const asset = topic?.[2];
    if (asset && typeof d.s === 'string' && d.s !== asset) {
      problems.push({ field: joinPath(frame.dataPath, 's'), problems: [`must match the topic's symbol ${asset}, got ${d.s}`] });
    }
    if (frame.type !== undefined && !BOOK_UPDATE_TYPES.includes(frame.type as BookUpdateType)) {
      problems.push({ field: frame.typePath, problems: [`must be one of ${BOOK_UPDATE_TYPES.join(', ')}, got ${describeValue(frame.type)}`] });
    }
    if (frame.ts === undefined) problems.push({ field: 'ts', problems: ['is required (Bybit ts, or the envelope timestamp / received_at)'] });
    if (problems.length > 0) throw new ContractValidationError('NormalizedOrderbook', problems);
    // Already checked as decimals above, so Number() is exact here.
    const levels = (raw: [string, string][]): [number, number][] => raw.map(([p, s]) => [Number(p), Number(s)]);
    return compact({
      asset: asset ?? d.s,
      type: frame.type ?? 'snapshot',
      depth: topic ? Number(topic[1]) : undefined,
      bids: levels(d.b),
      asks: levels(d.a),
      ts: frame.ts,
      update_id: epochMsValue(d.u),
      seq: epochMsValue(d.seq),
    });
  }
}
