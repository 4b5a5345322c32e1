import { backoffMs, Logger } from '@model-service/util';

export interface WsGatewaySubscriberOptions {
  url: string;
  apiKey?: string;
  /** Service name sent as requesting_service. */
  service: string;
  assets: string[];
  /** Kline intervals the strategies compute indicators on. */
  klineIntervals: string[];
  /** Order book depth to subscribe (Bybit spot: 1, 50, 200). */
  orderbookDepth?: number;
  /** Give up after this many attempts per channel (default: never). */
  maxAttempts?: number;
  timeoutMs?: number;
  fetchFn?: typeof fetch;
}

export interface SubscriptionRequest {
  channel_type: 'ticker' | 'orderbook' | 'kline';
  symbol: string;
  topic: string;
  requesting_service: string;
  interval?: string;
  depth?: number;
}

/** The channels the strategies need, one ws-gateway subscription each. */
export function subscriptionRequests(o: WsGatewaySubscriberOptions): SubscriptionRequest[] {
  const depth = o.orderbookDepth ?? 50;
  return o.assets.flatMap((symbol) => [
    { channel_type: 'ticker' as const, symbol, topic: `tickers.${symbol}`, requesting_service: o.service },
    { channel_type: 'orderbook' as const, symbol, topic: `orderbook.${depth}.${symbol}`, depth, requesting_service: o.service },
    ...o.klineIntervals.map((interval) => ({
      channel_type: 'kline' as const,
      symbol,
      interval,
      topic: `kline.${interval}.${symbol}`,
      requesting_service: o.service,
    })),
  ]);
}

/**
 * Asks ws-gateway to subscribe each channel (`POST {WS_GATEWAY_URL}/api/v1/subscriptions`, X-API-Key).
 * 2xx and 409 (already subscribed) count as done; anything else is retried with backoff in the
 * background until it works (or maxAttempts), without holding up start-up.
 */
export class WsGatewaySubscriber {
  private stopped = false;
  private readonly log = new Logger('WsGatewaySubscriber');
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Topics already requested (or being requested), so an asset is asked for once. */
  private readonly requested = new Set<string>();

  constructor(private readonly opts: WsGatewaySubscriberOptions) {}

  /** Resolves when every channel is subscribed or given up. */
  run(): Promise<void> {
    return this.request(subscriptionRequests(this.opts));
  }

  /** Subscribes the channels of assets not asked for yet (e.g. newly selected ones); resolves like run(). */
  add(assets: readonly string[]): Promise<void> {
    return this.request(subscriptionRequests({ ...this.opts, assets: [...assets] }));
  }

  private request(all: SubscriptionRequest[]): Promise<void> {
    const fresh = all.filter((r) => !this.requested.has(r.topic));
    for (const r of fresh) this.requested.add(r.topic);
    return Promise.all(fresh.map((req) => this.subscribe(req))).then(() => undefined);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
  }

  private async subscribe(req: SubscriptionRequest): Promise<void> {
    const endpoint = `${this.opts.url.replace(/\/+$/, '')}/api/v1/subscriptions`;
    for (let attempt = 1; !this.stopped; attempt++) {
      const problem = await this.post(endpoint, req);
      if (problem === null) {
        this.log.info('ws-gateway subscription requested', { topic: req.topic, attempt });
        return;
      }
      if (this.opts.maxAttempts !== undefined && attempt >= this.opts.maxAttempts) {
        this.log.error('ws-gateway subscription failed; giving up', { topic: req.topic, attempts: attempt, error: problem });
        return;
      }
      const delay = backoffMs(attempt, 500, 60_000);
      this.log.warn('ws-gateway subscription failed; retrying', { topic: req.topic, attempt, retry_in_ms: delay, error: problem });
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.timers.delete(t);
          resolve();
        }, delay);
        this.timers.add(t);
      });
    }
  }

  /** null on success, else what went wrong. */
  private async post(endpoint: string, req: SubscriptionRequest): Promise<string | null> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.opts.apiKey) headers['x-api-key'] = this.opts.apiKey;
    try {
      const res = await (this.opts.fetchFn ?? fetch)(endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify(req),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 5_000),
      });
      await res.text().catch(() => '');
      if (res.ok || res.status === 409) return null;
      return `HTTP ${res.status}`;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }
}
