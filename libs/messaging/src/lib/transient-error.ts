/**
 * Tells a dependency outage from a bad message. A handler that fails because PostgreSQL or the broker is
 * unreachable says nothing about the message: the consumer pauses and retries it later instead of counting
 * the failure toward dead-lettering.
 */

/** Node/libpq socket errors that mean "the server is not there (right now)". */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // PostgreSQL: admin/crash shutdown, cannot connect now, serialization/deadlock retries.
  '57P01',
  '57P02',
  '57P03',
  '40001',
  '40P01',
  '53300', // too many connections
]);

const TRANSIENT_MESSAGES = [
  /connection terminated/i,
  /terminating connection/i,
  /connection (?:is )?(?:closed|ended|lost|refused|reset)/i,
  /timeout exceeded when trying to connect/i,
  /\btimed out\b/i,
  /\b(?:connection|connect|query read|acquire) ?timeout\b/i,
  /channel (?:closed|ended)/i,
  /connection not open/i,
  /socket (?:closed|hang up)/i,
  /not connected to rabbitmq/i,
  /rabbitmq not connected/i,
  /client has encountered a connection error/i,
  /cannot use a pool after calling end/i,
  /database system is (?:starting up|shutting down)/i,
];

function fieldOf(err: object, key: string): unknown {
  return (err as Record<string, unknown>)[key];
}

/**
 * True when err (or its cause chain, or an AggregateError's parts) is a connection-level failure:
 * socket errors, PostgreSQL SQLSTATE class 08 and 57P01-03, timeouts, a closed AMQP channel or connection.
 */
export function isTransientError(err: unknown, depth = 0): boolean {
  if (err === null || err === undefined || depth > 5) return false;
  if (typeof err !== 'object') return typeof err === 'string' && TRANSIENT_MESSAGES.some((re) => re.test(err));
  const code = fieldOf(err, 'code');
  if (typeof code === 'string') {
    if (TRANSIENT_CODES.has(code)) return true;
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  const message = fieldOf(err, 'message');
  if (typeof message === 'string' && TRANSIENT_MESSAGES.some((re) => re.test(message))) return true;
  if (err instanceof AggregateError && err.errors.some((e) => isTransientError(e, depth + 1))) return true;
  // TypeORM's QueryFailedError keeps the driver error in driverError; PublishError and others in cause.
  return isTransientError(fieldOf(err, 'driverError'), depth + 1) || isTransientError(fieldOf(err, 'cause'), depth + 1);
}
