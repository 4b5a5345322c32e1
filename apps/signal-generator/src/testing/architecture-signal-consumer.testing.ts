import { connect, type Channel, type ChannelModel } from 'amqplib';

/**
 * A downstream consumer of `model-service.trading_signals` written ONLY from /work/shared/ARCHITECTURE.md
 * (as the order manager's authors would): plain JSON messages on a named queue, snake_case fields.
 * It deliberately imports nothing from this repository — if it can read our signals, so can they.
 *
 * ARCHITECTURE.md, "Messages": TradingSignal: signal_id (uuid), signal_type (buy|sell), asset (e.g.
 * BTCUSDT), amount (quote currency, > 0), confidence (0..1), timestamp (ISO 8601), strategy_id,
 * model_version (null in warm-up), is_warmup, market_data_snapshot {price, spread, volume_24h,
 * volatility, optional orderbook_depth, technical_indicators}, metadata, trace_id.
 */
export interface DocSignal {
  signal_id: string;
  signal_type: 'buy' | 'sell';
  asset: string;
  amount: number;
  confidence: number;
  timestamp: string;
  strategy_id: string;
  model_version: string | null;
  is_warmup: boolean;
  market_data_snapshot: {
    price: number;
    spread: number;
    volume_24h: number;
    volatility: number;
    orderbook_depth?: Record<string, number>;
    technical_indicators?: Record<string, number | null>;
    [extra: string]: unknown;
  };
  metadata: Record<string, unknown>;
  trace_id: string;
}

export interface ReceivedSignal {
  signal: DocSignal;
  receivedAt: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The reader's own check of one message against the documented shape; returns the problems. */
export function docProblems(body: unknown): string[] {
  const p: string[] = [];
  if (typeof body !== 'object' || body === null) return ['not a JSON object'];
  const s = body as Record<string, unknown>;
  const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (typeof s['signal_id'] !== 'string' || !UUID.test(s['signal_id'])) p.push('signal_id is not a uuid');
  if (s['signal_type'] !== 'buy' && s['signal_type'] !== 'sell') p.push('signal_type is not buy|sell');
  if (typeof s['asset'] !== 'string' || s['asset'] === '') p.push('asset missing');
  if (!num(s['amount']) || s['amount'] <= 0) p.push('amount is not > 0');
  if (!num(s['confidence']) || s['confidence'] < 0 || s['confidence'] > 1) p.push('confidence not in 0..1');
  if (typeof s['timestamp'] !== 'string' || Number.isNaN(Date.parse(s['timestamp']))) p.push('timestamp is not ISO 8601');
  if (typeof s['strategy_id'] !== 'string' || s['strategy_id'] === '') p.push('strategy_id missing');
  if (s['model_version'] !== null && typeof s['model_version'] !== 'string') p.push('model_version is neither null nor a string');
  if (typeof s['is_warmup'] !== 'boolean') p.push('is_warmup is not a boolean');
  const snap = s['market_data_snapshot'] as Record<string, unknown> | undefined;
  if (typeof snap !== 'object' || snap === null) p.push('market_data_snapshot missing');
  else for (const f of ['price', 'spread', 'volume_24h', 'volatility']) if (!num(snap[f])) p.push(`market_data_snapshot.${f} is not a number`);
  if (s['metadata'] !== undefined && s['metadata'] !== null && typeof s['metadata'] !== 'object') p.push('metadata is not an object');
  if (typeof s['trace_id'] !== 'string' || s['trace_id'] === '') p.push('trace_id missing');
  return p;
}

/** Reads a signals queue into memory; messages that do not match the document are kept apart. */
export class ArchitectureSignalConsumer {
  readonly received: ReceivedSignal[] = [];
  readonly rejected: Array<{ body: string; problems: string[] }> = [];
  private conn?: ChannelModel;
  private ch?: Channel;
  private listeners: Array<(r: ReceivedSignal) => void> = [];

  constructor(
    private readonly url: string,
    private readonly queue: string,
  ) {}

  async start(): Promise<void> {
    this.conn = await connect(this.url, { noDelay: true });
    this.conn.on('error', () => undefined);
    this.ch = await this.conn.createChannel();
    this.ch.on('error', () => undefined);
    await this.ch.assertQueue(this.queue, { durable: true });
    await this.ch.prefetch(500);
    await this.ch.consume(this.queue, (msg) => {
      if (!msg) return;
      const receivedAt = Date.now();
      const text = msg.content.toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const problems = docProblems(body);
      if (problems.length > 0) this.rejected.push({ body: text, problems });
      else {
        const r = { signal: body as DocSignal, receivedAt };
        this.received.push(r);
        for (const l of this.listeners) l(r);
      }
      this.ch?.ack(msg);
    });
  }

  onSignal(listener: (r: ReceivedSignal) => void): void {
    this.listeners.push(listener);
  }

  async stop(deleteQueue = true): Promise<void> {
    if (deleteQueue) await this.ch?.deleteQueue(this.queue).catch(() => undefined);
    await this.ch?.close().catch(() => undefined);
    await this.conn?.close().catch(() => undefined);
  }
}
