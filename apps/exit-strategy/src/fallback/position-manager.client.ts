import { pnlPctFromPrices, PositionSnapshot, toEpochMs } from '@model-service/exit-rules';
import { Injectable } from '@nestjs/common';

import { ExitStrategyEnv } from '../config/exit-strategy.env';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function pick(o: Json, ...names: string[]): unknown {
  for (const name of names) if (o[name] !== undefined && o[name] !== null) return o[name];
  return undefined;
}

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  return NaN;
}

function time(v: unknown): number | string | undefined {
  if (typeof v === 'number' || typeof v === 'string') return Number.isNaN(toEpochMs(v)) ? undefined : v;
  return undefined;
}

/** The position objects of an answer: the body itself, or under position/data/positions/items. */
function positionObjects(body: unknown): Json[] {
  if (Array.isArray(body)) return body.filter(isObject);
  if (!isObject(body)) return [];
  for (const key of ['positions', 'items', 'data', 'position']) {
    const inner = body[key];
    if (Array.isArray(inner) || isObject(inner)) return positionObjects(inner);
  }
  return [body];
}

/**
 * Reads the position manager's answer for one asset as snapshots. Tolerant of the shape: one
 * position or a list, bare or wrapped; snake_case or camelCase; numbers as strings. Entries that
 * are not usable positions of `asset` are left out. `fetchedAt` stands in for a missing timestamp.
 */
export function parsePositionsAnswer(body: unknown, asset: string, fetchedAt: number): PositionSnapshot[] {
  const out: PositionSnapshot[] = [];
  for (const p of positionObjects(body)) {
    const symbol = pick(p, 'asset', 'symbol');
    if (symbol !== undefined && symbol !== asset) continue;
    const size = num(pick(p, 'size', 'quantity', 'qty'));
    const entry = num(pick(p, 'average_entry_price', 'averageEntryPrice', 'avg_entry_price', 'entry_price', 'avgPrice'));
    const price = num(pick(p, 'current_price', 'currentPrice', 'mark_price', 'markPrice', 'price'));
    if (!Number.isFinite(size) || size < 0 || !(price > 0) || !(entry >= 0)) continue;
    const pnlRaw = num(pick(p, 'unrealized_pnl_pct', 'unrealizedPnlPct', 'unrealized_pnl_percent'));
    const strategy = pick(p, 'strategy_id', 'strategyId');
    const stamp = time(pick(p, 'timestamp', 'updated_at', 'updatedAt', 'last_updated'));
    const opened = time(pick(p, 'opened_at', 'openedAt', 'created_at', 'createdAt'));
    out.push({
      position_id: String(pick(p, 'position_id', 'positionId', 'id') ?? ''),
      asset,
      strategy_id: typeof strategy === 'string' && strategy !== '' ? strategy : null,
      size: pick(p, 'closed_at', 'closedAt') ? 0 : size,
      average_entry_price: entry,
      current_price: price,
      unrealized_pnl_pct: Number.isFinite(pnlRaw) ? pnlRaw : size > 0 ? pnlPctFromPrices(entry, price) : 0,
      opened_at: opened ?? fetchedAt,
      timestamp: stamp ?? fetchedAt,
    });
  }
  return out;
}

/** GET {POSITION_MANAGER_URL}/api/v1/positions/{asset} with X-API-Key; 404 means no position. */
@Injectable()
export class PositionManagerClient {
  private readonly baseUrl?: string;

  constructor(private readonly env: ExitStrategyEnv) {
    this.baseUrl = env.POSITION_MANAGER_URL?.replace(/\/+$/, '');
  }

  get configured(): boolean {
    return this.baseUrl !== undefined;
  }

  async positions(asset: string): Promise<PositionSnapshot[]> {
    if (!this.baseUrl) return [];
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.env.POSITION_MANAGER_API_KEY) headers['X-API-Key'] = this.env.POSITION_MANAGER_API_KEY;
    const res = await fetch(`${this.baseUrl}/api/v1/positions/${encodeURIComponent(asset)}`, {
      headers,
      signal: AbortSignal.timeout(this.env.POSITION_MANAGER_TIMEOUT_MS),
    });
    if (res.status === 404) return [];
    if (!res.ok) throw new Error(`position manager answered ${res.status} for ${asset}`);
    return parsePositionsAnswer(await res.json(), asset, Date.now());
  }
}
