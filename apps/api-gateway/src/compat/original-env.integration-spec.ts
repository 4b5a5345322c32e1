import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { AppProcess, freePort, spawnApp, waitForHttp } from '@model-service/platform/testing';
import { adminQuery, queryRows, TEST_DATABASE_URL } from '@model-service/repositories/testing';
import { migrateDatabase } from '@model-service/repositories/tooling';
import { randomBytes } from 'node:crypto';
import { TEST_RABBITMQ_URL } from '@model-service/messaging/testing';

/**
 * The original Python service's example .env, as its quickstart prints it (comments included):
 * operators migrating keep this file.
 */
const ORIGINAL_ENV = `
# Database Configuration (shared PostgreSQL)
POSTGRES_HOST=postgres
POSTGRES_PORT=5432
POSTGRES_DB=ytrader
POSTGRES_USER=ytrader
POSTGRES_PASSWORD=your_password

# RabbitMQ Configuration
RABBITMQ_HOST=rabbitmq
RABBITMQ_PORT=5672
RABBITMQ_USER=guest
RABBITMQ_PASSWORD=guest

# Model Service Configuration
MODEL_SERVICE_PORT=4500
MODEL_SERVICE_API_KEY=your-model-service-api-key  # For REST API authentication
MODEL_SERVICE_LOG_LEVEL=INFO
MODEL_SERVICE_SERVICE_NAME=model-service

# Model Storage Configuration
MODEL_STORAGE_PATH=/models  # Directory for model files (mounted as Docker volume)

# Training Configuration
MODEL_TRAINING_MIN_DATASET_SIZE=1000  # Minimum records for training
MODEL_TRAINING_MAX_DURATION_SECONDS=1800  # 30 minutes max training time
MODEL_QUALITY_THRESHOLD_ACCURACY=0.75  # Minimum accuracy for model activation
MODEL_RETRAINING_SCHEDULE=cron(0 2 * * *)  # Daily at 2 AM (optional)

# Signal Generation Configuration
SIGNAL_GENERATION_RATE_LIMIT=60  # Signals per minute
SIGNAL_GENERATION_BURST_ALLOWANCE=10  # Burst allowance for rate limiting
WARMUP_MODE_ENABLED=true  # Enable warm-up mode when no trained model exists
WARMUP_SIGNAL_FREQUENCY=60  # Warm-up signals per minute

# Strategy Configuration
TRADING_STRATEGIES=momentum_v1,mean_reversion_v1  # Comma-separated strategy IDs
`;

/** KEY=value lines as docker compose's env_file reads them: `#` lines skipped, ` # comment` after an unquoted value dropped. */
function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    out[m[1]] = m[2].replace(/\s+#.*$/, '').trim();
  }
  return out;
}

const SERVER_URL = new URL(TEST_DATABASE_URL);
/** A database of its own, so the app can only reach it through the POSTGRES_* lines (our default names another). */
const DATABASE = `original_env_${randomBytes(4).toString('hex')}`;
const databaseUrl = (name: string): string => Object.assign(new URL(SERVER_URL.href), { pathname: `/${name}` }).href;

/** Connections the app holds to DATABASE. */
async function connectionsTo(database: string): Promise<number> {
  const [{ n }] = await queryRows<{ n: number }>(SERVER_URL.href, 'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [database]);
  return n;
}

/** This machine's PostgreSQL (DATABASE on it) and RabbitMQ as the original's POSTGRES_* / RABBITMQ_* lines (URL variables removed). */
function localServers(): Record<string, string> {
  const db = new URL(databaseUrl(DATABASE));
  const mq = new URL(TEST_RABBITMQ_URL);
  return {
    DATABASE_URL: '',
    RABBITMQ_URL: '',
    POSTGRES_HOST: db.hostname,
    POSTGRES_PORT: db.port || '5432',
    POSTGRES_DB: decodeURIComponent(db.pathname.slice(1)),
    POSTGRES_USER: decodeURIComponent(db.username),
    POSTGRES_PASSWORD: decodeURIComponent(db.password),
    RABBITMQ_HOST: mq.hostname,
    RABBITMQ_PORT: mq.port || '5672',
    RABBITMQ_USER: decodeURIComponent(mq.username),
    RABBITMQ_PASSWORD: decodeURIComponent(mq.password),
  };
}

describe("api-gateway with the original service's example .env", () => {
  let proc: AppProcess | undefined;
  let storage: string;

  beforeAll(async () => {
    storage = mkdtempSync(join(tmpdir(), 'original-env-'));
    await migrateDatabase(databaseUrl(DATABASE), { applicationName: 'original-env-spec' });
  });
  afterEach(async () => {
    await proc?.stop();
    proc = undefined;
  });
  afterAll(async () => {
    rmSync(storage, { recursive: true, force: true });
    await adminQuery(SERVER_URL.href, `DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  });

  it.each(['INFO', 'WARNING'])('starts with MODEL_SERVICE_LOG_LEVEL=%s and serves the API with its key and schedule', async (level) => {
    const env = parseEnvFile(ORIGINAL_ENV);
    expect(env['MODEL_SERVICE_LOG_LEVEL']).toBe('INFO');
    expect(env['MODEL_RETRAINING_SCHEDULE']).toBe('cron(0 2 * * *)');
    // Only what a test must change: where this machine's servers are (in the original's own variables: the
    // app builds its URLs from them), a free port (4500 may be taken) and a writable model store.
    const port = await freePort();
    proc = spawnApp('api-gateway', {
      ...env,
      ...localServers(),
      MODEL_SERVICE_LOG_LEVEL: level,
      MODEL_SERVICE_PORT: String(port),
      MODEL_STORAGE_PATH: storage,
    });
    const health = await waitForHttp(`http://127.0.0.1:${port}/health`, (s) => s === 200 || s === 503, 90_000);
    expect({ status: health.status, output: health.status === 0 ? proc.output() : '' }).toMatchObject({ output: '' });

    const res = await fetch(`http://127.0.0.1:${port}/api/v1/training/status`, { headers: { 'X-API-Key': 'your-model-service-api-key' } });
    expect(res.status).toBe(200);
    const status = (await res.json()) as { next_scheduled_training: string | null };
    expect(status.next_scheduled_training).toMatch(/T02:00:00(\.000)?Z$/);
    expect(proc.output()).not.toMatch(/Invalid configuration/);
    // It reached the database the POSTGRES_* lines name, not our default one.
    expect(await connectionsTo(DATABASE)).toBeGreaterThan(0);
  }, 120_000);
});
