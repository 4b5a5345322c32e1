import { randomUUID } from 'node:crypto';

import { Clock, Logger, runWithTrace, systemClock } from '@model-service/util';

import { CoinBalance, PriceLookup, selectAssets, SelectionRules } from './asset-selection';

export interface AssetSelectorOptions extends SelectionRules {
  /** A computed selection is reused for this long. */
  ttlMs: number;
  /** Used when balances are missing, unreadable, or hold nothing worth trading. */
  fallback: string[];
  /** A coin with a balance but no price yet is waited for this long before it is left out. */
  priceWaitMs: number;
  clock?: Clock;
}

export interface SelectionPorts {
  /** Latest available balance per coin (account_balances). */
  loadBalances(): Promise<CoinBalance[]>;
  price: PriceLookup;
}

export interface AssetSelection {
  assets: string[];
  source: 'balances' | 'fallback';
  reason: 'balances' | 'waiting_for_prices' | 'no_balances' | 'no_qualifying_balance' | 'balance_read_failed';
  /** Coins whose price is still awaited (their pairs should be subscribed so a price arrives). */
  awaitingPrice: string[];
  traceId: string;
  at: number;
}

/**
 * Automatic asset selection: the pairs the account's balances justify (selectAssets), computed at most
 * once per TTL; missing or failing balance data gives the fallback list. While a held coin waits for its
 * first price the result is not cached, so the caller asks again soon. Every computation, cache hit and
 * fallback is logged with its trace id.
 */
export class AssetSelector {
  private cached?: AssetSelection;
  private readonly unpricedSince = new Map<string, number>();
  private readonly clock: Clock;
  private readonly log = new Logger('AssetSelector');

  constructor(
    private readonly opts: AssetSelectorOptions,
    private readonly ports: SelectionPorts,
  ) {
    this.clock = opts.clock ?? systemClock;
  }

  /** The selection now: the cached one while fresh, else computed from the balances. */
  current(traceId: string = randomUUID()): Promise<AssetSelection> {
    return runWithTrace(traceId, () => this.currentTraced(traceId));
  }

  /** The last computed selection (also for /health). */
  last(): AssetSelection | undefined {
    return this.cached;
  }

  private async currentTraced(traceId: string): Promise<AssetSelection> {
    const now = this.clock.now();
    const hit = this.cached;
    if (hit && hit.awaitingPrice.length === 0 && now - hit.at < this.opts.ttlMs) {
      this.log.debug('asset selection cache hit', { trace_id: traceId, assets: hit.assets, source: hit.source, age_ms: now - hit.at });
      return hit;
    }
    this.log.debug('asset selection cache miss', { trace_id: traceId, expired: hit !== undefined });
    const selection = await this.compute(traceId, now);
    this.cached = selection;
    return selection;
  }

  private async compute(traceId: string, now: number): Promise<AssetSelection> {
    let balances: CoinBalance[];
    try {
      balances = await this.ports.loadBalances();
    } catch (err) {
      return this.fallback(traceId, now, 'balance_read_failed', { error: err instanceof Error ? err.message : String(err) });
    }
    if (balances.length === 0) return this.fallback(traceId, now, 'no_balances', {});
    const result = selectAssets(balances, this.ports.price, this.opts);
    for (const coin of [...this.unpricedSince.keys()]) if (!result.unpriced.includes(coin)) this.unpricedSince.delete(coin);
    for (const coin of result.unpriced) if (!this.unpricedSince.has(coin)) this.unpricedSince.set(coin, now);
    const awaiting = result.unpriced.filter((c) => now - (this.unpricedSince.get(c) ?? now) < this.opts.priceWaitMs);
    const givenUp = result.unpriced.filter((c) => !awaiting.includes(c));
    if (givenUp.length > 0) this.log.warn('coins left out of the asset selection: no price known', { trace_id: traceId, coins: givenUp, waited_seconds: this.opts.priceWaitMs / 1000 });
    if (result.assets.length === 0 && awaiting.length === 0) return this.fallback(traceId, now, 'no_qualifying_balance', { coins: result.coins });
    const selection: AssetSelection = {
      assets: result.assets,
      source: 'balances',
      reason: awaiting.length > 0 ? 'waiting_for_prices' : 'balances',
      awaitingPrice: awaiting,
      traceId,
      at: now,
    };
    this.log.info('asset selection', {
      trace_id: traceId,
      source: selection.source,
      reason: selection.reason,
      assets: selection.assets,
      coins: result.coins,
      awaiting_price: awaiting,
      min_balance_usdt: this.opts.minBalanceUsdt,
      ttl_seconds: this.opts.ttlMs / 1000,
    });
    return selection;
  }

  private fallback(traceId: string, now: number, reason: AssetSelection['reason'], fields: Record<string, unknown>): AssetSelection {
    this.log.warn('asset selection fell back to AUTO_SELECT_FALLBACK_ASSETS', { trace_id: traceId, reason, assets: this.opts.fallback, ...fields });
    return { assets: [...this.opts.fallback], source: 'fallback', reason, awaitingPrice: [], traceId, at: now };
  }
}
