import { CommandClaimRepository } from '@model-service/repositories';
import { Logger } from '@model-service/util';
import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

/** Claims older than this are forgotten: a command or schedule firing is never redelivered that late. */
export const CLAIM_RETENTION_MS = 30 * 24 * 3_600_000;
const SWEEP_EVERY_MS = 3_600_000;

/**
 * Keeps command_claims small: hourly (and once at start) it deletes claims older than CLAIM_RETENTION_MS.
 * Every replica sweeps; the DELETE is idempotent, so no coordination is needed.
 */
@Injectable()
export class ClaimsJanitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private readonly log = new Logger('ClaimsJanitor');

  constructor(private readonly claims: CommandClaimRepository) {}

  onApplicationBootstrap(): void {
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Deletes the expired claims; returns how many (0 when the database could not be reached, logged). */
  async sweep(now: number = Date.now()): Promise<number> {
    try {
      const removed = await this.claims.prune(new Date(now - CLAIM_RETENTION_MS));
      if (removed > 0) this.log.info('expired command claims removed', { removed, retention_days: CLAIM_RETENTION_MS / 86_400_000 });
      return removed;
    } catch (err) {
      this.log.warn('command claims could not be pruned; next try in an hour', { error: err instanceof Error ? err.message : String(err) });
      return 0;
    }
  }
}
