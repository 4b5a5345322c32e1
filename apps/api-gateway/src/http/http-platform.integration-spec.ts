import { gatewayTestAppPerSuite, startGatewayTestApp, TEST_API_KEY } from '../testing/gateway-test-app.testing';

const SECOND_KEY = 'second-key-0f9e8d7c6b5a4938';
const RUN_ID = '9d7c1c2e-8a0b-4c55-9d55-2f7f0b1a6e11';

/** Every protected endpoint, as [method, path]. */
const PROTECTED: Array<['get' | 'post', string]> = [
  ['get', '/api/v1/models'],
  ['get', '/api/v1/models/v1'],
  ['post', '/api/v1/models/v1/activate'],
  ['post', '/api/v1/models/v1/rollback'],
  ['get', '/api/v1/models/v1/metrics'],
  ['get', '/api/v1/models/v1/metrics/time-series'],
  ['get', '/api/v1/training/status'],
  ['post', '/api/v1/training/trigger'],
  ['post', '/api/v1/training/cancel'],
  ['get', '/api/v1/training/runs'],
  ['get', `/api/v1/training/runs/${RUN_ID}`],
  ['post', `/api/v1/training/runs/${RUN_ID}/cancel`],
  ['get', '/api/v1/monitoring/models/performance'],
  ['get', '/api/v1/monitoring/health'],
  ['get', '/api/v1/strategies'],
  ['get', '/api/v1/strategies/s1/performance/time-series'],
  ['get', '/api/v1/strategies/performance/by-mode'],
  ['get', '/api/v1/signals'],
];

describe('api-gateway HTTP platform: auth, trace ids, logging, docs, metrics', () => {
  // Many wrong keys on purpose here: the failed-key limit (security.integration-spec) is off.
  const t = gatewayTestAppPerSuite({ env: { MODEL_SERVICE_API_KEY: `${TEST_API_KEY},${SECOND_KEY}`, MODEL_SERVICE_API_AUTH_FAILURE_LIMIT: '0' } });

  it.each(PROTECTED)('%s %s answers 401 JSON without a key, with a wrong key, and with a near-miss key', async (method, path) => {
    for (const key of [undefined, 'wrong', `${TEST_API_KEY}x`, TEST_API_KEY.slice(0, -1), TEST_API_KEY.toUpperCase()]) {
      const req = t.http[method](path);
      if (key !== undefined) req.set('X-API-Key', key);
      const res = await req.expect(401);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body).toEqual({
        status_code: 401,
        error: 'unauthorized',
        message: key === undefined ? 'the X-API-Key header is required' : 'the X-API-Key header is not valid',
        trace_id: res.headers['x-trace-id'],
      });
    }
  });

  it('accepts each configured key (key rotation) and never writes a key into the log', async () => {
    await t.http.get('/api/v1/models').set('X-API-Key', TEST_API_KEY).expect(200);
    await t.http.get('/api/v1/models').set('x-api-key', SECOND_KEY).expect(200);
    const text = JSON.stringify(t.logs);
    expect(text).not.toContain(TEST_API_KEY);
    expect(text).not.toContain(SECOND_KEY);
  });

  it('leaves /health, /metrics and /docs open', async () => {
    await t.http.get('/health').expect(200);
    await t.http.get('/metrics').expect(200);
    const ui = await t.http.get('/docs').expect(200);
    expect(ui.text).toMatch(/swagger-ui/i);
  });

  it('returns a new trace id, or keeps the caller\'s valid one, and logs each request with it', async () => {
    const fresh = await t.get('/api/v1/models').expect(200);
    expect(fresh.headers['x-trace-id']).toMatch(/^[0-9a-f-]{36}$/);
    const given = await t.get('/api/v1/models?limit=3').set('X-Trace-Id', 'caller-trace-42').expect(200);
    expect(given.headers['x-trace-id']).toBe('caller-trace-42');
    for (const invalid of ['has space', 'x'.repeat(101)]) {
      const res = await t.get('/api/v1/models').set('X-Trace-Id', invalid).expect(200);
      expect(res.headers['x-trace-id']).not.toBe(invalid);
      expect(res.headers['x-trace-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    const line = t.logs.find((l) => l['msg'] === 'request answered' && l['trace_id'] === 'caller-trace-42');
    expect(line).toMatchObject({
      method: 'GET',
      path: '/api/v1/models?limit=3',
      route: '/api/v1/models',
      status: 200,
      api_key_id: expect.stringMatching(/^key_[0-9a-f]{12}$/),
    });
    expect(typeof line!['duration_ms']).toBe('number');
    const refused = await t.http.get('/api/v1/signals').set('X-Trace-Id', 'refused-1').expect(401);
    expect(refused.body.trace_id).toBe('refused-1');
    expect(t.logs.find((l) => l['trace_id'] === 'refused-1')).toMatchObject({ status: 401, msg: 'request answered' });
  });

  it('counts requests and auth failures in /metrics', async () => {
    const text = (await t.http.get('/metrics').expect(200)).text;
    expect(text).toMatch(/model_service_http_requests_total\{method="GET",route="\/api\/v1\/models",status="200"\} \d+/);
    expect(text).toMatch(/model_service_api_auth_failures_total\{reason="missing"\} \d+/);
    expect(text).toMatch(/model_service_api_auth_failures_total\{reason="invalid"\} \d+/);
    expect(text).toContain('model_service_http_request_duration_seconds_bucket');
  });

  it('publishes an OpenAPI document with every endpoint and the X-API-Key scheme', async () => {
    const doc = (await t.http.get('/docs/openapi.json').expect(200)).body;
    expect(doc.components.securitySchemes.api_key).toEqual({ type: 'apiKey', name: 'X-API-Key', in: 'header' });
    const paths = Object.keys(doc.paths).sort();
    expect(paths).toEqual(
      [
        '/api/v1/models',
        '/api/v1/models/{version}',
        '/api/v1/models/{version}/activate',
        '/api/v1/models/{version}/rollback',
        '/api/v1/models/{version}/metrics',
        '/api/v1/models/{version}/metrics/time-series',
        '/api/v1/training/status',
        '/api/v1/training/trigger',
        '/api/v1/training/cancel',
        '/api/v1/training/runs',
        '/api/v1/training/runs/{id}',
        '/api/v1/training/runs/{id}/cancel',
        '/api/v1/monitoring/models/performance',
        '/api/v1/monitoring/health',
        '/api/v1/monitoring/services',
        '/api/v1/monitoring/dead-letter-queues',
        '/api/v1/monitoring/signals/time-series',
        '/api/v1/monitoring/exits',
        '/api/v1/strategies',
        '/api/v1/strategies/{strategy_id}/performance/time-series',
        '/api/v1/strategies/performance/by-mode',
        '/api/v1/signals',
        '/health',
        '/health/live',
        '/health/ready',
        '/metrics',
      ].sort(),
    );
    const list = doc.paths['/api/v1/models'].get;
    expect(list.security).toEqual([{ api_key: [] }]);
    expect(list.parameters.find((p: { name: string }) => p.name === 'limit').schema).toMatchObject({ minimum: 1, maximum: 1000, default: 100 });
    expect(list.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/ModelVersionPageDto');
  });
});

describe('api-gateway per-key rate limit', () => {
  const t = gatewayTestAppPerSuite({
    env: { MODEL_SERVICE_API_KEY: `${TEST_API_KEY},${SECOND_KEY}`, MODEL_SERVICE_API_RATE_LIMIT: '3', MODEL_SERVICE_API_RATE_LIMIT_BURST: '100' },
  });

  it('allows the limit, then answers 429 with Retry-After; each key has its own limit; a wrong key is refused before it', async () => {
    for (let i = 0; i < 3; i++) {
      const ok = await t.get('/api/v1/models').expect(200);
      expect(ok.headers['x-ratelimit-limit']).toBe('3');
      expect(ok.headers['x-ratelimit-remaining']).toBe(String(2 - i));
    }
    const refused = await t.get('/api/v1/models').expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.headers['x-ratelimit-remaining']).toBe('0');
    expect(refused.body).toMatchObject({ status_code: 429, error: 'rate_limited', trace_id: refused.headers['x-trace-id'] });

    await t.http.get('/api/v1/models').set('X-API-Key', SECOND_KEY).expect(200); // another key, its own limit
    await t.http.get('/health').expect(200); // probes have no per-key limit
    await t.http.get('/api/v1/models').set('X-API-Key', 'wrong').expect(401); // auth comes first
    expect((await t.http.get('/metrics')).text).toMatch(/model_service_api_rate_limited_total\{limit="api_key"\} \d+/);
  });
});

describe('api-gateway without a key in development', () => {
  it('serves requests without X-API-Key when MODEL_SERVICE_ALLOW_NO_API_KEY is true and no key is set', async () => {
    const t = await startGatewayTestApp({ env: { MODEL_SERVICE_API_KEY: '', MODEL_SERVICE_ALLOW_NO_API_KEY: 'true' } });
    try {
      await t.http.get('/api/v1/models').expect(200);
      expect(t.logs.find((l) => l['msg'] === 'request answered')).toMatchObject({ api_key_id: 'anonymous' });
    } finally {
      await t.close();
    }
  });
});
