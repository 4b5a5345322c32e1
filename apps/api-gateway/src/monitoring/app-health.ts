/** What the dashboard shows of one app's /health. */
export interface AppHealth {
  service: string;
  /** Where it was asked (null for the gateway itself and for apps whose URL is not configured). */
  url: string | null;
  /** ok / degraded from the app's own report; unreachable when no usable answer came; not_configured without a URL. */
  status: 'ok' | 'degraded' | 'unreachable' | 'not_configured';
  /** HTTP status of the /health answer (null when none came). */
  http_status: number | null;
  /** Each dependency check: up or down. */
  checks: Record<string, 'up' | 'down'>;
  /** Round trip of the request in ms (null when not asked). */
  response_ms: number | null;
  /** Why the app is unreachable or not configured. */
  error: string | null;
}

const UP_WORDS = new Set(['up', 'ok', 'connected', 'healthy', 'accessible']);

/**
 * Reads a /health body in either shape our apps serve: the detailed one (`status` ok|degraded, `checks`
 * {name: {status: up|down}}) or the original service's public one (`status` healthy|unhealthy, `details`
 * {name: word}). A body in neither shape is judged by its HTTP status alone.
 */
export function interpretHealth(
  base: Pick<AppHealth, 'service' | 'url' | 'response_ms'>,
  httpStatus: number,
  body: unknown,
): AppHealth {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const checks: Record<string, 'up' | 'down'> = {};
  const detailed = record['checks'];
  if (typeof detailed === 'object' && detailed !== null) {
    for (const [name, check] of Object.entries(detailed as Record<string, unknown>)) {
      const word = typeof check === 'object' && check !== null ? (check as { status?: unknown }).status : check;
      checks[name] = typeof word === 'string' && UP_WORDS.has(word.toLowerCase()) ? 'up' : 'down';
    }
  } else if (typeof record['details'] === 'object' && record['details'] !== null) {
    for (const [name, word] of Object.entries(record['details'] as Record<string, unknown>)) {
      // Counts (active_models) are information, not checks.
      if (typeof word === 'string') checks[name] = UP_WORDS.has(word.toLowerCase()) ? 'up' : 'down';
    }
  }
  const word = typeof record['status'] === 'string' ? record['status'].toLowerCase() : '';
  let status: AppHealth['status'];
  if (word === 'ok' || word === 'healthy') status = httpStatus === 200 ? 'ok' : 'degraded';
  else if (word === 'degraded' || word === 'unhealthy') status = 'degraded';
  else status = httpStatus === 200 ? 'ok' : 'degraded';
  return { ...base, status, http_status: httpStatus, checks, error: null };
}
