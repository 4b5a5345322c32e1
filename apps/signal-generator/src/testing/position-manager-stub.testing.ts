import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** How the stub answers for an asset. */
export type StubBehaviour =
  | { kind: 'positions'; positions: Array<Record<string, unknown>> }
  | { kind: 'flat' }
  | { kind: 'status'; status: number; body?: string }
  | { kind: 'raw'; body: string }
  /** Answers only after `ms` (longer than the client's timeout = a timeout). */
  | { kind: 'delay'; ms: number; then: StubBehaviour };

export interface StubRequest {
  path: string;
  apiKey: string | undefined;
  at: number;
}

/**
 * A real HTTP server playing position-manager's `GET /api/v1/positions/{asset}` (X-API-Key checked),
 * with a behaviour per asset that a test changes at will, and every request recorded.
 */
export class PositionManagerStub {
  readonly requests: StubRequest[] = [];
  private readonly behaviours = new Map<string, StubBehaviour>();
  private readonly server: Server;
  private readonly pending = new Set<NodeJS.Timeout>();

  constructor(private readonly apiKey: string) {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const t of this.pending) clearTimeout(t);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  set(asset: string, behaviour: StubBehaviour): void {
    this.behaviours.set(asset, behaviour);
  }

  requestsFor(asset: string): StubRequest[] {
    return this.requests.filter((r) => r.path.endsWith(`/${asset}`));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = req.url ?? '';
    const key = req.headers['x-api-key'];
    this.requests.push({ path, apiKey: typeof key === 'string' ? key : undefined, at: Date.now() });
    const match = /^\/api\/v1\/positions\/([A-Za-z0-9]+)$/.exec(path);
    if (req.method !== 'GET' || !match) return this.send(res, 404, JSON.stringify({ error: 'not_found' }));
    if (key !== this.apiKey) return this.send(res, 401, JSON.stringify({ error: 'unauthorized' }));
    this.answer(res, match[1], this.behaviours.get(match[1]) ?? { kind: 'flat' });
  }

  private answer(res: ServerResponse, asset: string, b: StubBehaviour): void {
    switch (b.kind) {
      case 'positions':
        return this.send(res, 200, JSON.stringify({ asset, positions: b.positions }));
      case 'flat':
        return this.send(res, 404, JSON.stringify({ error: 'not_found', message: `no open position in ${asset}` }));
      case 'status':
        return this.send(res, b.status, b.body ?? JSON.stringify({ error: 'internal' }));
      case 'raw':
        return this.send(res, 200, b.body);
      case 'delay': {
        const t = setTimeout(() => {
          this.pending.delete(t);
          if (!res.destroyed) this.answer(res, asset, b.then);
        }, b.ms);
        this.pending.add(t);
        return;
      }
    }
  }

  private send(res: ServerResponse, status: number, body: string): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
  }
}

/** A position as the simulator's position manager reports it (PositionUpdateEvent fields + position_size_norm). */
export function stubPosition(fields: { asset: string; strategyId: string | null; size: number; pnlPct: number; sizeNorm?: number; price?: number }): Record<string, unknown> {
  const price = fields.price ?? 50_000;
  const entry = price / (1 + fields.pnlPct / 100);
  return {
    position_id: `pos-${fields.asset}-${fields.strategyId ?? 'any'}`,
    asset: fields.asset,
    strategy_id: fields.strategyId,
    size: fields.size,
    average_entry_price: entry,
    current_price: price,
    unrealized_pnl: (price - entry) * fields.size,
    unrealized_pnl_pct: fields.pnlPct,
    realized_pnl: 0,
    opened_at: new Date(Date.now() - 3_600_000).toISOString(),
    timestamp: new Date().toISOString(),
    position_value: price * fields.size,
    position_size_norm: fields.sizeNorm ?? 0.1,
    closed_at: null,
  };
}
