import { execFileSync } from 'node:child_process';

import { sleep } from '@model-service/util';

import { AppProcess, freePort, spawnApp, waitForHttp } from './app-process.testing';
import { dashboardMetricsMissingFrom, exposedSeriesNames } from './monitoring-config.testing';

/** /health in either shape: detailed (internal ports: checks.*.status) or public (the original's details.* words). */
interface Health {
  status: string;
  checks?: Record<string, { status: string }>;
  details?: Record<string, unknown>;
}

function dependency(body: Health, name: string): 'up' | 'down' | undefined {
  if (body.checks) return body.checks[name]?.status as 'up' | 'down' | undefined;
  const word = body.details?.[name];
  return word === undefined ? undefined : word === 'connected' ? 'up' : 'down';
}

function healthy(body: Health): boolean {
  return body.status === 'ok' || body.status === 'healthy';
}

/** Closes this service's broker connections (found by the connection names it sets). */
function closeBrokerConnections(service: string): number {
  const out = execFileSync('rabbitmqctl', ['-q', 'list_connections', 'pid', 'client_properties'], { encoding: 'utf8' });
  const pids = out
    .split('\n')
    .filter((line) => line.includes(`${service}-`))
    .map((line) => line.split('\t')[0].trim())
    .filter(Boolean);
  for (const pid of pids) execFileSync('rabbitmqctl', ['-q', 'close_connection', pid, 'test: forced close']);
  return pids.length;
}

/**
 * The start-up contract every app meets: healthy against the real servers, 503 naming
 * message_queue without a broker, back to 200 after its broker connections are force-closed, and
 * a bad variable stops it with a message naming the variable.
 */
export function describeServiceStartup(app: string, extraEnv: Record<string, string> = {}): void {
  describe(`${app} start-up`, () => {
    let proc: AppProcess | undefined;
    afterEach(async () => {
      await proc?.stop();
      proc = undefined;
    });

    it('serves /health 200 against the real services, and reconnects after the broker drops it', async () => {
      const port = await freePort();
      const service = `${app}-it${port}`;
      proc = spawnApp(app, { ...extraEnv, MODEL_SERVICE_PORT: String(port), MODEL_SERVICE_SERVICE_NAME: service });
      const first = await waitForHttp(`http://127.0.0.1:${port}/health`, (s) => s === 200, 60_000);
      expect({ status: first.status, output: first.status === 200 ? '' : proc.output() }).toEqual({ status: 200, output: '' });
      const body = first.body as Health;
      expect(healthy(body)).toBe(true);
      expect(dependency(body, 'database')).toBe('up');
      expect(dependency(body, 'message_queue')).toBe('up');

      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(metrics.status).toBe(200);
      const text = await metrics.text();
      expect(text).toContain('model_service_process_cpu_seconds_total');
      // The Grafana dashboard (docker/monitoring) reads these: a metric renamed or gone would leave its panel empty.
      expect(dashboardMetricsMissingFrom(app, exposedSeriesNames(text))).toEqual([]);

      expect(closeBrokerConnections(service)).toBeGreaterThan(0);
      await sleep(200);
      const back = await waitForHttp(`http://127.0.0.1:${port}/health`, (s) => s === 200, 30_000);
      expect(back.status).toBe(200);
    }, 120_000);

    it('answers 503 naming message_queue when RabbitMQ is unreachable', async () => {
      const port = await freePort();
      const closed = await freePort();
      proc = spawnApp(app, {
        ...extraEnv,
        MODEL_SERVICE_PORT: String(port),
        RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${closed}`,
      });
      const res = await waitForHttp(`http://127.0.0.1:${port}/health`, (s) => s === 503, 60_000);
      expect(res.status).toBe(503);
      const body = res.body as Health;
      expect(healthy(body)).toBe(false);
      expect(dependency(body, 'message_queue')).toBe('down');
      expect(dependency(body, 'database')).toBe('up');
    }, 120_000);

    it('refuses to start with a bad variable and names it', async () => {
      proc = spawnApp(app, { ...extraEnv, RABBITMQ_PREFETCH: 'abc' });
      const code = await proc.exited;
      expect(code).not.toBe(0);
      expect(proc.output()).toContain('RABBITMQ_PREFETCH');
    }, 60_000);
  });
}
