import { PositionAnswer, PositionManagerClient, PositionManagerUnavailableError, positionOfStrategy } from '@model-service/neighbours';
import { Clock, Logger, systemClock } from '@model-service/util';

import { AccountState, positionSizeNorm } from '../account/account-state';
import { PositionCache } from './position-cache';

export type PositionSource = 'position_manager' | 'cache' | 'positions_table';

/** A strategy's position as the risk rules see it. */
export interface RiskPosition {
  source: PositionSource;
  /** Base units held; 0 = flat. */
  size: number;
  /** Percent; null when flat or unknown. */
  unrealizedPnlPct: number | null;
  /** Position value relative to what the strategy could hold (0 when flat). */
  sizeNorm: number;
}

export interface PositionRiskHooks {
  looked(source: PositionSource): void;
  degradedChanged(degraded: boolean): void;
}

interface Episode {
  since: number;
  kind: string;
  lastError: string;
  fallbacks: number;
  /** Until then decisions go straight to the table instead of each waiting for a failing request. */
  nextProbeAt: number;
}

/** During an outage the position manager is asked again at most this often (or after a position event). */
export const PROBE_INTERVAL_MS = 5_000;

/**
 * Where the take-profit and position-size rules get a position from: the position manager (its answers
 * cached per asset with a TTL and dropped on position events), or — when it is not configured or does not
 * give a usable answer (timeout, network error, non-2xx, malformed body) — the `positions` table as read
 * with the account state. An outage is logged once when it starts and once when it ends (an episode), not
 * per signal; during it the position manager is asked again every PROBE_INTERVAL_MS or after a position
 * event, and other decisions use the table at once instead of each waiting for a timeout. Every lookup is
 * counted by source.
 */
export class PositionRiskReader {
  private readonly inFlight = new Map<string, Promise<PositionAnswer>>();
  private episode: Episode | null = null;
  private readonly log = new Logger('PositionRisk');

  constructor(
    private readonly client: PositionManagerClient | null,
    private readonly cache: PositionCache<PositionAnswer>,
    private readonly hooks: PositionRiskHooks = { looked: () => undefined, degradedChanged: () => undefined },
    private readonly clock: Clock = systemClock,
  ) {}

  async read(strategyId: string, asset: string, account: AccountState, price: number): Promise<RiskPosition> {
    if (!this.client) return this.fromTable(account);
    if (this.episode && this.clock.now() < this.episode.nextProbeAt) {
      this.episode.fallbacks++;
      return this.fromTable(account);
    }
    const cached = this.cache.get(asset);
    if (cached) {
      this.hooks.looked('cache');
      return this.fromAnswer(cached, strategyId, account, price, 'cache');
    }
    let answer: PositionAnswer;
    try {
      answer = await this.fetch(asset);
    } catch (err) {
      if (!(err instanceof PositionManagerUnavailableError)) throw err;
      this.degraded(err);
      return this.fromTable(account);
    }
    this.recovered();
    this.hooks.looked('position_manager');
    return this.fromAnswer(answer, strategyId, account, price, 'position_manager');
  }

  /** A position of `asset` changed: its cached answer is dropped (and one under way is not stored); during an outage, ask again. */
  invalidate(asset: string): void {
    this.cache.invalidate(asset);
    if (this.episode) this.episode.nextProbeAt = 0;
  }

  status(): Record<string, unknown> {
    return {
      configured: this.client !== null,
      url: this.client?.url ?? null,
      cache_enabled: this.cache.enabled,
      cached_assets: this.cache.size,
      degraded: this.episode !== null,
      ...(this.episode
        ? {
            degraded_since: new Date(this.episode.since).toISOString(),
            last_error: this.episode.lastError,
            fallbacks: this.episode.fallbacks,
          }
        : {}),
    };
  }

  /** One request per asset at a time: strategies deciding on the same asset at once share it. */
  private fetch(asset: string): Promise<PositionAnswer> {
    const running = this.inFlight.get(asset);
    if (running) return running;
    const client = this.client as PositionManagerClient;
    const ticket = this.cache.begin(asset);
    const job = client
      .positions(asset)
      .then((answer) => {
        this.cache.set(asset, answer, ticket);
        return answer;
      })
      .finally(() => this.inFlight.delete(asset));
    this.inFlight.set(asset, job);
    return job;
  }

  private fromAnswer(answer: PositionAnswer, strategyId: string, account: AccountState, price: number, source: PositionSource): RiskPosition {
    const p = positionOfStrategy(answer, strategyId);
    if (!p || p.size <= 0) return { source, size: 0, unrealizedPnlPct: null, sizeNorm: 0 };
    const norm = p.positionSizeNorm ?? positionSizeNorm(p.size * (p.currentPrice ?? price), account.balances.quoteAvailable);
    return { source, size: p.size, unrealizedPnlPct: p.unrealizedPnlPct, sizeNorm: norm };
  }

  private fromTable(account: AccountState): RiskPosition {
    this.hooks.looked('positions_table');
    const { position } = account;
    if (!(position.size > 0)) return { source: 'positions_table', size: 0, unrealizedPnlPct: null, sizeNorm: 0 };
    return { source: 'positions_table', size: position.size, unrealizedPnlPct: position.unrealizedPnlPct ?? null, sizeNorm: position.sizeNorm };
  }

  private degraded(err: PositionManagerUnavailableError): void {
    const now = this.clock.now();
    if (this.episode) {
      this.episode.fallbacks++;
      this.episode.lastError = err.message;
      this.episode.nextProbeAt = now + PROBE_INTERVAL_MS;
      return;
    }
    this.episode = { since: now, kind: err.kind, lastError: err.message, fallbacks: 1, nextProbeAt: now + PROBE_INTERVAL_MS };
    this.hooks.degradedChanged(true);
    this.log.warn('position manager unavailable: using the positions table until it answers again', {
      url: this.client?.url,
      kind: err.kind,
      error: err.message,
    });
  }

  private recovered(): void {
    const episode = this.episode;
    if (!episode) return;
    this.episode = null;
    this.hooks.degradedChanged(false);
    this.log.info('position manager answers again', {
      url: this.client?.url,
      degraded_for_ms: this.clock.now() - episode.since,
      fallbacks: episode.fallbacks,
      first_failure: episode.kind,
      last_error: episode.lastError,
    });
  }
}
