import { Logger } from '../logging/logger';

/** One server's URL as the original service's .env gives it: host, port, user, password (and database) apart. */
interface UrlParts {
  /** The variable holding the whole URL (ours). */
  url: string;
  scheme: 'postgres' | 'amqp';
  host: string;
  port: string;
  user: string;
  password: string;
  database?: string;
  /** Used for a part that is not set. */
  defaults: { host: string; port: number; user: string; password: string; database?: string };
}

/** The original service's variables for PostgreSQL and RabbitMQ, with our defaults for the parts not set. */
const SERVERS: readonly UrlParts[] = [
  {
    url: 'DATABASE_URL',
    scheme: 'postgres',
    host: 'POSTGRES_HOST',
    port: 'POSTGRES_PORT',
    user: 'POSTGRES_USER',
    password: 'POSTGRES_PASSWORD',
    database: 'POSTGRES_DB',
    defaults: { host: '127.0.0.1', port: 5432, user: 'postgres', password: '', database: 'model_service' },
  },
  {
    url: 'RABBITMQ_URL',
    scheme: 'amqp',
    host: 'RABBITMQ_HOST',
    port: 'RABBITMQ_PORT',
    user: 'RABBITMQ_USER',
    password: 'RABBITMQ_PASSWORD',
    defaults: { host: '127.0.0.1', port: 5672, user: 'guest', password: 'guest' },
  },
];

/** A variable of the original service's .env that cannot make a URL. */
export interface ConnectionPartProblem {
  variable: string;
  value: unknown;
  rules: string[];
}

/**
 * Builds DATABASE_URL from POSTGRES_HOST/PORT/DB/USER/PASSWORD and RABBITMQ_URL from
 * RABBITMQ_HOST/PORT/USER/PASSWORD (the original service's .env) when the URL itself is not set and at least
 * one part is, so a migrated .env reaches the servers it names instead of our defaults. A set URL wins (the
 * parts are then ignored, said in an info line). Returns the parts that cannot make a URL (a port that is not 1-65535,
 * a host with a space or slash); `present` is changed in place.
 */
export function applyConnectionParts(present: Record<string, string | undefined>): ConnectionPartProblem[] {
  const problems: ConnectionPartProblem[] = [];
  for (const s of SERVERS) {
    const parts = [s.host, s.port, s.user, s.password, s.database].filter((v): v is string => v !== undefined && present[v] !== undefined);
    if (parts.length === 0) continue;
    if (present[s.url] !== undefined) {
      // Info, not a warning: compose's .env holds POSTGRES_PASSWORD for the database container beside our URL.
      new Logger('config').info(`${s.url} is set: ${parts.join(', ')} ignored`, { variable: s.url, ignored: parts });
      continue;
    }
    const host = present[s.host] ?? s.defaults.host;
    const port = present[s.port] ?? String(s.defaults.port);
    const before = problems.length;
    if (!/^[^\s/?#@]+$/.test(host)) problems.push({ variable: s.host, value: host, rules: [`${s.host} must be a host name or address`] });
    if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65_535) {
      problems.push({ variable: s.port, value: port, rules: [`${s.port} must be a port number (1-65535)`] });
    }
    if (problems.length > before) continue;
    const user = encodeURIComponent(present[s.user] ?? s.defaults.user);
    const password = present[s.password] ?? s.defaults.password;
    const auth = password === '' ? user : `${user}:${encodeURIComponent(password)}`;
    const database = s.database === undefined ? '' : `/${encodeURIComponent(present[s.database] ?? s.defaults.database ?? '')}`;
    present[s.url] = `${s.scheme}://${auth}@${host}:${port}${database}`;
  }
  return problems;
}
