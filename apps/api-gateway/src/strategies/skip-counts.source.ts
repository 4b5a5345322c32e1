import { Clock, Logger } from '@model-service/util';

import { parseSkipCounts, SkipCounts } from './skip-counts';

export interface SkipCountsReading {
  /** Where the counts came from; null counts mean they are not available. */
  source: string;
  counts: SkipCounts | null;
  error?: string;
}

const CACHE_MS = 5_000;
const TIMEOUT_MS = 1_000;

/**
 * Skip counts from the signal-generator's /metrics (counters since that process started), cached for 5 s.
 * Without SIGNAL_GENERATOR_URL there is no source and the counts are reported as unavailable.
 */
export class SkipCountsSource {
  private readonly log = new Logger('SkipCountsSource');
  private cached: { at: number; reading: SkipCountsReading } | null = null;
  private lastError = '';

  constructor(
    private readonly baseUrl: string | undefined,
    private readonly clock: Clock,
  ) {}

  async read(): Promise<SkipCountsReading> {
    if (!this.baseUrl) return { source: 'unavailable', counts: null, error: 'SIGNAL_GENERATOR_URL is not set' };
    const now = this.clock.now();
    if (this.cached && now - this.cached.at < CACHE_MS) return this.cached.reading;
    const url = `${this.baseUrl.replace(/\/+$/, '')}/metrics`;
    let reading: SkipCountsReading;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      reading = { source: 'signal-generator-metrics', counts: parseSkipCounts(await res.text()) };
      this.lastError = '';
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      if (error !== this.lastError) this.log.warn('cannot read skip counts from signal-generator', { url, error });
      this.lastError = error;
      reading = { source: 'signal-generator-metrics', counts: null, error };
    }
    this.cached = { at: now, reading };
    return reading;
  }
}
