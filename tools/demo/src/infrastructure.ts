import { redactUrl } from '@model-service/repositories';
import { postgresProblem } from '@model-service/repositories/tooling';
import { connect } from 'amqplib';
import { spawn, spawnSync } from 'node:child_process';

export { postgresProblem };

/** PostgreSQL or RabbitMQ could not be reached or started; the message says what to install. */
export class InfrastructureError extends Error {
  override readonly name = 'InfrastructureError';
}

export interface Infrastructure {
  databaseUrl: string;
  rabbitUrl: string;
  /** What the demo started (left running afterwards, like any local server). */
  started: string[];
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function message(err: unknown): string {
  return err instanceof Error ? err.message || err.name : String(err);
}

/** null when RabbitMQ at `url` accepts a connection, else why not. */
export async function rabbitProblem(url: string, timeoutMs = 3_000): Promise<string | null> {
  try {
    const conn = await connect(url, { timeout: timeoutMs, noDelay: true });
    conn.on('error', () => undefined);
    await conn.close();
    return null;
  } catch (err) {
    return message(err);
  }
}

function isLocal(url: string): boolean {
  try {
    return LOCAL_HOSTS.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Docker Compose v2 is installed and the Docker daemon answers. */
function dockerComposeWorks(): boolean {
  const ok = (args: string[]) => spawnSync('docker', args, { stdio: 'ignore', timeout: 15_000 }).status === 0;
  return has('docker') && ok(['compose', 'version']) && ok(['info']);
}

/** Whether a local server (or docker-compose.yml's service) on its standard port would answer at `url`. */
export function onStandardPort(url: string, defaultPort: number, portVariable: string): boolean {
  if (!isLocal(url)) return false;
  const port = Number(new URL(url).port || defaultPort);
  return port === Number(process.env[portVariable] ?? defaultPort);
}

async function waitUntil(check: () => Promise<string | null>, timeoutMs: number): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  let problem = await check();
  while (problem !== null && Date.now() < deadline) {
    await sleep(1_000);
    problem = await check();
  }
  return problem;
}

/** Starts the local PostgreSQL clusters listening on the URL's port (Debian's pg_ctlcluster). */
function startLocalPostgres(url: string): string | null {
  if (!has('pg_lsclusters') || !has('pg_ctlcluster')) return null;
  const port = new URL(url).port || '5432';
  const list = spawnSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' });
  const clusters = (list.stdout ?? '')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length >= 4 && f[2] === port);
  for (const [version, name] of clusters) {
    spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, name, 'start'], { stdio: 'ignore', timeout: 60_000 });
  }
  return clusters.length > 0 ? `PostgreSQL ${clusters.map(([v, n]) => `${v}/${n}`).join(', ')} (pg_ctlcluster)` : null;
}

function startLocalRabbit(): string | null {
  if (!has('rabbitmq-server')) return null;
  const child = spawn('rabbitmq-server', ['-detached'], { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
  return 'RabbitMQ (rabbitmq-server -detached)';
}

/**
 * Makes sure PostgreSQL and RabbitMQ answer: when one does not and its URL is local, starts the local
 * server binaries if installed, else `docker compose up -d` of just those services when Docker Compose
 * works. Throws InfrastructureError with one message naming what to install when neither helps.
 * `databaseUrlIsDefault`: the URL was not set by the user, so the compose credentials may be used.
 */
export async function ensureInfrastructure(
  databaseUrl: string,
  rabbitUrl: string,
  databaseUrlIsDefault: boolean,
  log: (line: string) => void,
): Promise<Infrastructure> {
  const started: string[] = [];
  const tried: string[] = [];
  let dbUrl = databaseUrl;
  let pg = await postgresProblem(dbUrl);
  let mq = await rabbitProblem(rabbitUrl);
  if (pg === null && mq === null) return { databaseUrl: dbUrl, rabbitUrl, started };

  if (pg !== null && isLocal(dbUrl)) {
    const what = startLocalPostgres(dbUrl);
    if (what) {
      tried.push(what);
      log(`PostgreSQL not reachable (${pg}); starting ${what} ...`);
      pg = await waitUntil(() => postgresProblem(dbUrl), 30_000);
      if (pg === null) started.push(what);
    }
  }
  if (mq !== null && onStandardPort(rabbitUrl, 5672, 'RABBITMQ_NODE_PORT')) {
    const what = startLocalRabbit();
    if (what) {
      tried.push(what);
      log(`RabbitMQ not reachable (${mq}); starting ${what} ...`);
      mq = await waitUntil(() => rabbitProblem(rabbitUrl), 60_000);
      if (mq === null) started.push(what);
    }
  }
  const services = [
    pg !== null && onStandardPort(dbUrl, 5432, 'POSTGRES_HOST_PORT') ? 'postgres' : null,
    mq !== null && onStandardPort(rabbitUrl, 5672, 'RABBITMQ_HOST_PORT') ? 'rabbitmq' : null,
  ].filter((s): s is string => s !== null);
  if (services.length > 0 && dockerComposeWorks()) {
    tried.push(`docker compose up -d ${services.join(' ')}`);
    log(`starting ${services.join(' and ')} with docker compose ...`);
    const up = spawnSync('docker', ['compose', 'up', '-d', ...services], { encoding: 'utf8', timeout: 300_000 });
    if (up.status === 0) {
      if (services.includes('postgres') && databaseUrlIsDefault) {
        // The compose postgres uses password auth (POSTGRES_PASSWORD, default postgres).
        const u = new URL(dbUrl);
        u.username = 'postgres';
        u.password = process.env['POSTGRES_PASSWORD'] ?? 'postgres';
        dbUrl = u.toString();
      }
      if (pg !== null) pg = await waitUntil(() => postgresProblem(dbUrl), 90_000);
      if (mq !== null) mq = await waitUntil(() => rabbitProblem(rabbitUrl), 90_000);
      started.push(`docker compose: ${services.join(', ')}`);
    }
  }
  const missing: string[] = [];
  if (pg !== null) {
    missing.push(
      `PostgreSQL is not reachable at ${redactUrl(dbUrl)} (${pg}): install it (Debian/Ubuntu: apt-get install postgresql) or Docker with the compose plugin, or set DATABASE_URL to a running server`,
    );
  }
  if (mq !== null) {
    missing.push(
      `RabbitMQ is not reachable at ${redactUrl(rabbitUrl)} (${mq}): install it (Debian/Ubuntu: apt-get install rabbitmq-server) or Docker with the compose plugin, or set RABBITMQ_URL to a running server`,
    );
  }
  if (missing.length > 0) throw new InfrastructureError(`${missing.join('; ')}${tried.length > 0 ? ` (tried to start: ${tried.join(', ')})` : ''}`);
  return { databaseUrl: dbUrl, rabbitUrl, started };
}

/** Empties the given queues where they exist (stale messages of an earlier run); returns how many messages were dropped. */
export async function purgeQueues(url: string, queues: readonly string[]): Promise<number> {
  const conn = await connect(url, { noDelay: true });
  conn.on('error', () => undefined);
  let dropped = 0;
  try {
    for (const queue of queues) {
      const ch = await conn.createChannel();
      ch.on('error', () => undefined);
      try {
        await ch.checkQueue(queue);
        dropped += (await ch.purgeQueue(queue)).messageCount;
      } catch {
        /* no such queue */
      }
      await ch.close().catch(() => undefined);
    }
  } finally {
    await conn.close().catch(() => undefined);
  }
  return dropped;
}
