import { freePort } from '@model-service/platform/testing';

import { GatewayTestApp, gatewayTestAppPerSuite, startGatewayTestApp, TEST_API_KEY } from '../testing/gateway-test-app.testing';

/** The gateway as an attacker or a careless client meets it, on the real PostgreSQL and RabbitMQ. */
describe('api-gateway on an exposed network', () => {
  // The default client and failed-key limits (the test app only turns the per-key limit off).
  const t = gatewayTestAppPerSuite();

  it('refuses a client that keeps sending wrong keys (429 with Retry-After before the 200th), and still serves a valid key', async () => {
    let first429: number | undefined;
    let refused: Awaited<ReturnType<GatewayTestApp['get']>> | undefined;
    for (let i = 1; i <= 200 && first429 === undefined; i++) {
      const res = await t.http.get('/api/v1/models').set('X-API-Key', `wrong-${i}`);
      if (res.status === 429) {
        first429 = i;
        refused = res;
      } else {
        expect(res.status).toBe(401);
      }
    }
    expect(first429).toBeDefined();
    expect(first429).toBeLessThan(200);
    expect(Number(refused!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused!.headers['x-ratelimit-limit']).toBeDefined();
    expect(refused!.headers['x-ratelimit-remaining']).toBe('0');
    expect(refused!.body).toMatchObject({ status_code: 429, error: 'rate_limited' });
    // Missing keys count too.
    await t.http.get('/api/v1/models').expect(429);
    await t.get('/api/v1/models').expect(200);
  });

  it('answers /health, /health/ready and /health/live in the original shape without paths or error text', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.body).toEqual({
      status: 'healthy',
      timestamp: expect.any(String),
      service: expect.any(String),
      details: {
        database: 'connected',
        message_queue: 'connected',
        model_storage: 'accessible',
        active_models: 0,
      },
    });
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(t.storageDir);
    expect(text).not.toMatch(/error|\//i);
    const ready = await t.http.get('/health/ready').expect(200);
    expect(ready.body.status).toBe('healthy');
    // Cached: within a second the same report comes back.
    expect(ready.body.timestamp === res.body.timestamp || Date.parse(ready.body.timestamp) - Date.parse(res.body.timestamp) >= 1000).toBe(true);
    const live = await t.http.get('/health/live').expect(200);
    expect(live.body).toMatchObject({ status: 'healthy' });
  });

  it('keeps the status of body-parser errors: 413 for a 2 MB body, 400 for malformed JSON', async () => {
    const big = await t.http
      .post('/api/v1/training/trigger')
      .set('X-API-Key', TEST_API_KEY)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ strategy_id: 'x'.repeat(2 * 1024 * 1024) }))
      .expect(413);
    expect(big.body).toMatchObject({ status_code: 413, error: 'payload_too_large' });
    const bad = await t.http
      .post('/api/v1/training/trigger')
      .set('X-API-Key', TEST_API_KEY)
      .set('Content-Type', 'application/json')
      .send('{"strategy_id": ')
      .expect(400);
    expect(bad.body).toMatchObject({ status_code: 400, message: 'request body is not valid JSON' });
    expect(JSON.stringify(bad.body)).not.toMatch(/at .*\.js|SyntaxError|Unexpected/);
  });

  it('sends helmet headers and no X-Powered-By, and the Swagger page still loads', async () => {
    for (const path of ['/health', '/api/v1/models', '/docs']) {
      const res = await t.get(path).expect(200);
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).toBeDefined();
    }
    const init = await t.http.get('/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toContain('SwaggerUIBundle');
  });
});

describe('api-gateway bounded queries', () => {
  const t = gatewayTestAppPerSuite({ env: { DATABASE_STATEMENT_TIMEOUT_MS: '300' } });

  it.each(['/api/v1/signals', '/api/v1/models', '/api/v1/training/runs'])('refuses offset=1000000000 on %s with a 400 naming offset', async (path) => {
    const res = await t.get(`${path}?offset=1000000000`).expect(400);
    expect(res.body).toMatchObject({ status_code: 400, field: 'offset' });
  });

  it.each([
    '/api/v1/signals?start_time=2016-01-01T00:00:00Z&end_time=2026-01-01T00:00:00Z',
    '/api/v1/signals?start_time=2016-01-01T00:00:00Z',
    '/api/v1/monitoring/models/performance?start_time=2016-01-01T00:00:00Z&end_time=2026-01-01T00:00:00Z',
    '/api/v1/strategies/s1/performance/time-series?granularity=week&start_time=2016-01-01T00:00:00Z&end_time=2026-01-01T00:00:00Z',
    '/api/v1/strategies/performance/by-mode?start_time=2016-01-01T00:00:00Z&end_time=2026-01-01T00:00:00Z',
    '/api/v1/models/v1/metrics/time-series?granularity=week&start_time=2016-01-01T00:00:00Z&end_time=2026-01-01T00:00:00Z',
  ])('refuses a 10-year window with a 400 naming start_time: %s', async (path) => {
    const res = await t.get(path).expect(400);
    expect(res.body).toMatchObject({ status_code: 400, field: 'start_time' });
    expect(res.body.message).toContain('at most 90');
  });

  it('cuts a query stuck behind a lock at the statement timeout: 503 without SQL text, and the next request works', async () => {
    const runner = t.db.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query('LOCK TABLE trading_signals IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      const res = await t.get('/api/v1/signals').expect(503);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(res.body).toMatchObject({ status_code: 503, error: 'database_timeout' });
      expect(JSON.stringify(res.body)).not.toMatch(/select|trading_signals|statement timeout|canceling/i);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    await t.get('/api/v1/signals').expect(200);
  });
});

describe('api-gateway public /health when a dependency is down', () => {
  it('answers 503 "unhealthy" naming the dependency as "disconnected", with no error text', async () => {
    const closed = await freePort();
    const t = await startGatewayTestApp({ env: { RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${closed}` } });
    try {
      const deadline = Date.now() + 20_000;
      let res = await t.http.get('/health');
      while (res.status !== 503 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 300));
        res = await t.http.get('/health');
      }
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ status: 'unhealthy', details: { database: 'connected', message_queue: 'disconnected' } });
      expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|error/i);
    } finally {
      await t.close();
    }
  }, 60_000);
});
