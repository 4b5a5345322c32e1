/**
 * The signal-generator counts every skipped signal in its /metrics as
 * `model_service_signals_skipped_total{strategy_id="…",reason="…"}` (prom-client counter). This parses
 * that counter out of Prometheus text: strategy -> reason -> count.
 */
export const SKIP_METRIC = 'model_service_signals_skipped_total';

export type SkipCounts = Map<string, Record<string, number>>;

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function unescape(value: string): string {
  return value.replace(/\\(["\\n])/g, (_m, c: string) => (c === 'n' ? '\n' : c));
}

export function parseSkipCounts(text: string, metric = SKIP_METRIC): SkipCounts {
  const out: SkipCounts = new Map();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = SAMPLE.exec(line);
    if (!m || m[1] !== metric) continue;
    const labels: Record<string, string> = {};
    for (const [, name, value] of (m[3] ?? '').matchAll(LABEL)) {
      if (name !== undefined && value !== undefined) labels[name] = unescape(value);
    }
    const value = Number(m[4]);
    const strategy = labels['strategy_id'];
    if (!strategy || !Number.isFinite(value)) continue;
    const reason = labels['reason'] ?? 'unknown';
    const counts = out.get(strategy) ?? {};
    counts[reason] = (counts[reason] ?? 0) + value;
    out.set(strategy, counts);
  }
  return out;
}
