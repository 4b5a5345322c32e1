import { HealthRegistry } from './health.registry';

/** The original service's /health body: status word, and each dependency as a word (or a count). */
export interface PublicHealthReport {
  status: 'healthy' | 'unhealthy';
  timestamp: string;
  service: string;
  details: Record<string, string | number>;
}

type PublicDetailFn = () => string | number | Promise<string | number>;

const DEFAULT_TTL_MS = 1_000;

/**
 * What an unauthenticated caller may see of the health report: "healthy"/"unhealthy" and each check
 * as "connected"/"disconnected" (or words the check chose), plus details the app registered as public
 * (a count, "accessible"). No error text, no paths, no versions. The report is computed at most once
 * per second however often it is asked for (one shared computation while it runs).
 */
export class PublicHealth {
  private readonly details = new Map<string, PublicDetailFn>();
  private readonly words = new Map<string, { up: string; down: string }>();
  private cached: { at: number; report: Promise<PublicHealthReport> } | undefined;

  constructor(
    private readonly registry: HealthRegistry,
    private readonly ttlMs = DEFAULT_TTL_MS,
  ) {}

  /** A detail shown publicly; it must not reveal paths, hosts or error text. A failing detail shows "unknown". */
  registerDetail(name: string, fn: PublicDetailFn): void {
    this.details.set(name, fn);
  }

  /** The words a check shows publicly instead of "connected"/"disconnected". */
  setCheckWords(check: string, up: string, down: string): void {
    this.words.set(check, { up, down });
  }

  report(now = Date.now()): Promise<PublicHealthReport> {
    if (this.cached && now - this.cached.at < this.ttlMs) return this.cached.report;
    const report = this.compute();
    this.cached = { at: now, report };
    // A failed computation is not kept.
    report.catch(() => {
      if (this.cached?.report === report) this.cached = undefined;
    });
    return report;
  }

  private async compute(): Promise<PublicHealthReport> {
    const full = await this.registry.report();
    const details: Record<string, string | number> = {};
    for (const [name, check] of Object.entries(full.checks)) {
      const words = this.words.get(name) ?? { up: 'connected', down: 'disconnected' };
      details[name] = check.status === 'up' ? words.up : words.down;
    }
    await Promise.all(
      [...this.details].map(async ([name, fn]) => {
        try {
          details[name] = await fn();
        } catch {
          details[name] = 'unknown';
        }
      }),
    );
    return {
      status: full.status === 'ok' ? 'healthy' : 'unhealthy',
      timestamp: new Date().toISOString(),
      service: full.service,
      details,
    };
  }
}
