import { HealthRegistry } from '@model-service/util';

import { AppHealth, interpretHealth } from './app-health';

/** An app whose /health the gateway asks, and the variable that holds its base URL. */
export interface AppHealthTarget {
  service: string;
  variable: string;
  url: string | undefined;
}

/**
 * Longer than an app's own check timeout (HealthRegistry gives each check 2 s), so an app whose database
 * check hangs is reported as it reports itself (degraded, naming the check), not as unreachable.
 */
const TIMEOUT_MS = 3_000;

/**
 * The health of every app, for operators: the gateway's own report (in process) and each other app's
 * /health over HTTP, asked in parallel with a short timeout so one hung app cannot stall the answer.
 * A 503 is an answer (the app says it is degraded); no answer at all is `unreachable`.
 */
export class AppsHealthSource {
  constructor(
    private readonly self: HealthRegistry,
    private readonly targets: readonly AppHealthTarget[],
  ) {}

  async read(): Promise<AppHealth[]> {
    return Promise.all([this.readSelf(), ...this.targets.map((t) => this.readRemote(t))]);
  }

  private async readSelf(): Promise<AppHealth> {
    const started = performance.now();
    const report = await this.self.report();
    const ms = Math.round(performance.now() - started);
    return interpretHealth({ service: this.self.service, url: null, response_ms: ms }, report.status === 'ok' ? 200 : 503, report);
  }

  private async readRemote(target: AppHealthTarget): Promise<AppHealth> {
    const base = { service: target.service, url: null, response_ms: null };
    if (!target.url) {
      return { ...base, status: 'not_configured', http_status: null, checks: {}, error: `${target.variable} is not set` };
    }
    const url = `${target.url.replace(/\/+$/, '')}/health`;
    const started = performance.now();
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), headers: { accept: 'application/json' } });
      const text = await res.text();
      const ms = Math.round(performance.now() - started);
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON: judged by the status code alone.
      }
      return interpretHealth({ service: target.service, url, response_ms: ms }, res.status, body);
    } catch (err) {
      return { ...base, url, status: 'unreachable', http_status: null, checks: {}, response_ms: null, error: describeFailure(err) };
    }
  }
}

/** fetch's error and its cause ("fetch failed: connect ECONNREFUSED ..."); duck-typed, as errors may come from another realm. */
function describeFailure(err: unknown): string {
  const e = err as { message?: unknown; cause?: { message?: unknown } } | null;
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const cause = typeof e?.cause?.message === 'string' && e.cause.message !== '' ? `: ${e.cause.message}` : '';
  return `${message}${cause}`;
}
