/** One position of an asset as the position manager reports it. */
export interface ManagedPosition {
  /** The position manager's id of the position ('' when the answer names none). */
  positionId: string;
  /** null: the position manager does not say which strategy (one position per asset). */
  strategyId: string | null;
  /** Base units held; 0 = flat. */
  size: number;
  /** null when the answer has no usable (>= 0) average entry price. */
  averageEntryPrice: number | null;
  /** The mark (current) price, > 0; null when the answer has none. */
  currentPrice: number | null;
  /** Percent (3.0 = +3 %); null when the answer has neither the field nor the prices to derive it. */
  unrealizedPnlPct: number | null;
  /** Position value relative to the account, when the position manager computes it. */
  positionSizeNorm: number | null;
  /** When the position was opened, as the answer says it (epoch ms or an ISO string); null when absent or unreadable. */
  openedAt: number | string | null;
  /** When the answer's figures were taken (epoch ms or an ISO string); null when absent or unreadable. */
  timestamp: number | string | null;
}

/** The position manager's answer for one asset; no positions = flat. */
export interface PositionAnswer {
  asset: string;
  positions: ManagedPosition[];
}

/** The body is not a positions answer (not JSON, or JSON of another shape). */
export class MalformedPositionAnswerError extends Error {
  override readonly name = 'MalformedPositionAnswerError';
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function pick(o: Json, ...names: string[]): unknown {
  for (const name of names) if (o[name] !== undefined && o[name] !== null) return o[name];
  return undefined;
}

/** A finite number (numeric strings accepted), else null. */
function num(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
}

/** A time as the answer gives it, when it reads as one (epoch ms number or numeric string, or a date string). */
function time(v: unknown): number | string | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string' || v.trim() === '') return null;
  const ms = /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : Date.parse(v);
  return Number.isNaN(ms) ? null : v;
}

/** The position objects of a body: a list, `{ positions | items | data: [...] }`, `{ position: {...} }` or one position. */
function positionObjects(body: unknown): Json[] {
  if (Array.isArray(body)) {
    if (!body.every(isObject)) throw new MalformedPositionAnswerError('a positions list holds something that is not an object');
    return body;
  }
  if (!isObject(body)) throw new MalformedPositionAnswerError(`expected a JSON object or array, got ${body === null ? 'null' : typeof body}`);
  for (const key of ['positions', 'items', 'data', 'position']) {
    const inner = body[key];
    if (Array.isArray(inner) || isObject(inner)) return positionObjects(inner);
  }
  if (pick(body, 'size', 'quantity', 'qty') !== undefined) return [body];
  throw new MalformedPositionAnswerError(`no positions in the answer (keys: ${Object.keys(body).slice(0, 10).join(', ') || 'none'})`);
}

function toPosition(p: Json, asset: string): ManagedPosition | null {
  const symbol = pick(p, 'asset', 'symbol');
  if (typeof symbol === 'string' && symbol.toUpperCase() !== asset.toUpperCase()) return null;
  const size = num(pick(p, 'size', 'quantity', 'qty'));
  if (size === null || size < 0) throw new MalformedPositionAnswerError(`position of ${asset} has no usable size (${JSON.stringify(pick(p, 'size', 'quantity', 'qty'))})`);
  const closed = pick(p, 'closed_at', 'closedAt') !== undefined;
  const entry = num(pick(p, 'average_entry_price', 'averageEntryPrice', 'avg_entry_price', 'entry_price', 'avgPrice'));
  const price = num(pick(p, 'current_price', 'currentPrice', 'mark_price', 'markPrice'));
  let pnl = num(pick(p, 'unrealized_pnl_pct', 'unrealizedPnlPct', 'unrealized_pnl_percent'));
  if (pnl === null && entry !== null && entry > 0 && price !== null && price > 0) pnl = ((price - entry) / entry) * 100;
  const strategy = pick(p, 'strategy_id', 'strategyId');
  return {
    positionId: String(pick(p, 'position_id', 'positionId', 'id') ?? ''),
    strategyId: typeof strategy === 'string' && strategy !== '' ? strategy : null,
    size: closed ? 0 : size,
    averageEntryPrice: entry !== null && entry >= 0 ? entry : null,
    currentPrice: price !== null && price > 0 ? price : null,
    unrealizedPnlPct: pnl,
    positionSizeNorm: num(pick(p, 'position_size_norm', 'positionSizeNorm')),
    openedAt: time(pick(p, 'opened_at', 'openedAt', 'created_at', 'createdAt')),
    timestamp: time(pick(p, 'timestamp', 'updated_at', 'updatedAt', 'last_updated')),
  };
}

/**
 * Reads `GET /api/v1/positions/{asset}`: one position or a list, bare or wrapped, snake_case or camelCase,
 * numbers possibly as strings. The one reading of the position manager's answer for every app:
 * - Positions of other assets are left out; the symbol is compared case-insensitively (`ethusdt` is ETHUSDT).
 * - The current price is read only from `current_price`/`currentPrice`/`mark_price`/`markPrice`. A bare
 *   `price` is not taken: on a position it may as well be the entry or an order price, and an exit
 *   evaluated on the wrong price is worse than one evaluated from another source.
 * - Throws MalformedPositionAnswerError for anything that is not recognisably a positions answer,
 *   including one position without a usable size: a garbled answer is "unavailable", never "flat"
 *   (flat would let a risk check pass and hide the fault). The caller falls back to another source.
 */
export function parsePositionAnswer(body: unknown, asset: string): PositionAnswer {
  const positions: ManagedPosition[] = [];
  for (const p of positionObjects(body)) {
    const position = toPosition(p, asset);
    if (position) positions.push(position);
  }
  return { asset, positions };
}

/**
 * The strategy's position in an answer: the one of that strategy, else the asset's strategy-less one
 * (a position manager that does not track strategies), else none (flat for this strategy).
 */
export function positionOfStrategy(answer: PositionAnswer, strategyId: string): ManagedPosition | null {
  return answer.positions.find((p) => p.strategyId === strategyId) ?? answer.positions.find((p) => p.strategyId === null) ?? null;
}
