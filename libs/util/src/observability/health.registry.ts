import { Injectable } from '@nestjs/common';

export interface CheckResult {
  ok: boolean;
  [detail: string]: unknown;
}

type CheckFn = () => CheckResult | Promise<CheckResult>;
type InfoFn = () => unknown | Promise<unknown>;

export interface HealthReport {
  status: 'ok' | 'degraded';
  timestamp: string;
  service: string;
  checks: Record<string, { status: 'up' | 'down' } & Record<string, unknown>>;
  /** Same content as checks, under the name the original service's API used. */
  details: Record<string, unknown>;
  database_connected: boolean;
  queue_connected: boolean;
  [info: string]: unknown;
}

const CHECK_TIMEOUT_MS = 2_000;

/** Collects dependency checks (which decide 200 vs 503) and informational sections for /health. */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, CheckFn>();
  private readonly infos = new Map<string, InfoFn>();
  service = 'model-service';

  registerCheck(name: string, fn: CheckFn): void {
    this.checks.set(name, fn);
  }

  registerInfo(name: string, fn: InfoFn): void {
    this.infos.set(name, fn);
  }

  async report(): Promise<HealthReport> {
    const checks: HealthReport['checks'] = {};
    await Promise.all(
      [...this.checks].map(async ([name, fn]) => {
        let result: CheckResult;
        try {
          result = await withTimeout(Promise.resolve(fn()), CHECK_TIMEOUT_MS);
        } catch (err) {
          result = { ok: false, error: err instanceof Error ? err.message : String(err) };
        }
        const { ok, ...rest } = result;
        checks[name] = { status: ok ? 'up' : 'down', ...rest };
      }),
    );
    const info: Record<string, unknown> = {};
    for (const [name, fn] of this.infos) {
      try {
        info[name] = await fn();
      } catch (err) {
        info[name] = { error: err instanceof Error ? err.message : String(err) };
      }
    }
    const degraded = Object.values(checks).some((c) => c.status === 'down');
    return {
      status: degraded ? 'degraded' : 'ok',
      timestamp: new Date().toISOString(),
      service: this.service,
      checks,
      details: { ...checks, ...info },
      database_connected: checks['database']?.status === 'up',
      queue_connected: checks['message_queue']?.status === 'up',
      ...info,
    };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`check timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
