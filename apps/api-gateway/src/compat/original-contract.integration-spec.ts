import { FakeClock } from '@model-service/util/testing';

import { GatewayTestApp, startGatewayTestApp, TEST_API_KEY } from '../testing/gateway-test-app.testing';
import { Seeder } from '../testing/seed.testing';

/**
 * The original Python model service's REST API, as its README documents it: one example response per
 * endpoint, copied from that README (the activate example's "..." left out). Every field of an example
 * must be in our answer under the same name with the same JSON type; a null in an example means the
 * field is documented as nullable (any value). Fields under MAP_FIELDS are maps whose keys are data
 * (strategy ids, model types): there only the values' type is compared.
 */
/** The model version the README's model examples share. */
const README_MODEL = {
  id: '550e8400-e29b-41d4-a716-446655440000',
  version: 'v1',
  model_type: 'xgboost',
  strategy_id: 'momentum_v1',
  trained_at: '2025-01-27T10:00:00Z',
  training_duration_seconds: 1200,
  training_dataset_size: 50000,
  is_active: true,
  is_warmup_mode: false,
};

const EXAMPLES = {
  health: {
    status: 'healthy',
    timestamp: '2025-01-27T10:00:00Z',
    details: { database: 'connected', message_queue: 'connected', model_storage: 'accessible', active_models: 0 },
  },
  listModels: {
    items: [
      {
        ...README_MODEL,
        created_at: '2025-01-27T10:00:00Z',
        updated_at: '2025-01-27T10:00:00Z',
      },
    ],
    total: 1,
    limit: 100,
    offset: 0,
  },
  modelDetails: {
    ...README_MODEL,
    quality_metrics: [
      { id: '660e8400-e29b-41d4-a716-446655440001', metric_name: 'accuracy', metric_value: 0.82, metric_type: 'classification', evaluated_at: '2025-01-27T10:00:00Z' },
    ],
  },
  activate: { id: '550e8400-e29b-41d4-a716-446655440000', version: 'v1', model_type: 'xgboost', strategy_id: 'momentum_v1', is_active: true },
  metrics: [
    {
      id: '660e8400-e29b-41d4-a716-446655440001',
      model_version_id: '550e8400-e29b-41d4-a716-446655440000',
      metric_name: 'accuracy',
      metric_value: 0.82,
      metric_type: 'classification',
      evaluated_at: '2025-01-27T10:00:00Z',
      evaluation_dataset_size: 10000,
    },
  ],
  metricTimeSeries: {
    model_version: 'v1',
    granularity: 'hour',
    start_time: '2025-01-20T10:00:00Z',
    end_time: '2025-01-27T10:00:00Z',
    data_points: [{ timestamp: '2025-01-27T10:00:00Z', value: 0.82, metric_name: 'accuracy' }],
  },
  trainingStatus: { is_training: false, current_training: null, last_training: null, next_scheduled_training: null, buffered_events_count: 150 },
  trainingTrigger: { triggered: true, message: 'Training triggered successfully', strategy_id: 'momentum_v1' },
  modelsPerformance: {
    active_models_count: 2,
    total_models_count: 10,
    models_by_strategy: { momentum_v1: 5, mean_reversion_v1: 5 },
    models_by_type: { xgboost: 8, random_forest: 2 },
  },
  monitoringHealth: { database_connected: true, message_queue_connected: true, model_storage_accessible: true, active_models: 2, warmup_mode_enabled: false },
  strategyTimeSeries: {
    strategy_id: 'momentum_v1',
    granularity: 'hour',
    start_time: '2025-01-20T10:00:00Z',
    end_time: '2025-01-27T10:00:00Z',
    data_points: [{ timestamp: '2025-01-27T10:00:00Z', success_rate: 0.75, total_pnl: 1500.5, avg_pnl: 15.0, total_orders: 100, successful_orders: 75 }],
  },
} as const;

const MAP_FIELDS = new Set(['models_by_strategy', 'models_by_type']);

const jsonType = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Where `actual` departs from the documented `example`: missing fields and fields of another JSON type. */
function contractProblems(example: unknown, actual: unknown, path = '$'): string[] {
  if (example === null) return [];
  if (jsonType(example) !== jsonType(actual)) return [`${path}: ${jsonType(actual)} where the original has ${jsonType(example)}`];
  if (Array.isArray(example)) {
    const items = actual as unknown[];
    if (example.length > 0 && items.length === 0) return [`${path}: empty, cannot be compared with the documented items`];
    return example.length > 0 ? items.flatMap((item, i) => contractProblems(example[0], item, `${path}[${i}]`)) : [];
  }
  if (typeof example === 'object') {
    const a = actual as Record<string, unknown>;
    return Object.entries(example as Record<string, unknown>).flatMap(([key, value]) => {
      if (!(key in a)) return [`${path}.${key}: missing`];
      if (MAP_FIELDS.has(key)) {
        const sample = Object.values(value as Record<string, unknown>)[0];
        return Object.entries(a[key] as Record<string, unknown>).flatMap(([k, v]) => contractProblems(sample, v, `${path}.${key}.${k}`));
      }
      return contractProblems(value, a[key], `${path}.${key}`);
    });
  }
  return [];
}

/**
 * A client for the original service written from its README alone (paths, methods, X-API-Key,
 * bodies, response fields as documented): nothing of ours is imported.
 */
class OriginalModelServiceClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: object): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { 'X-API-Key': this.apiKey, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (res.status < 200 || res.status >= 300) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  listModels(strategyId: string): Promise<{ items: Array<{ version: string; is_active: boolean; trained_at: string }>; total: number }> {
    return this.call('GET', `/api/v1/models?strategy_id=${encodeURIComponent(strategyId)}&limit=100&offset=0`);
  }

  activate(version: string, strategyId: string): Promise<{ version: string; strategy_id: string; is_active: boolean }> {
    return this.call('POST', `/api/v1/models/${encodeURIComponent(version)}/activate`, { strategy_id: strategyId });
  }

  metrics(version: string, metricType?: string): Promise<Array<{ metric_name: string; metric_value: number; metric_type: string; model_version_id: string }>> {
    return this.call('GET', `/api/v1/models/${encodeURIComponent(version)}/metrics${metricType ? `?metric_type=${metricType}` : ''}`);
  }

  triggerTraining(strategyId: string): Promise<{ triggered: boolean; message: string; strategy_id: string }> {
    return this.call('POST', '/api/v1/training/trigger', { strategy_id: strategyId });
  }
}

const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);
const HOUR = 3_600_000;

describe("the original service's REST API, endpoint by endpoint (its README's examples)", () => {
  let t: GatewayTestApp;
  let baseUrl: string;

  beforeAll(async () => {
    t = await startGatewayTestApp({ clock: new FakeClock(NOW), env: { MODEL_RETRAINING_SCHEDULE: 'cron(0 2 * * *)' } });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    const seed = new Seeder(t.db.dataSource, t.storageDir);
    const v1 = await seed.model('v1', 'momentum_v1', { trainingDatasetSize: 50_000, trainingDurationSeconds: 1200 });
    await seed.model('v2', 'momentum_v1');
    await seed.model('mr-1', 'mean_reversion_v1');
    await seed.activate('mr-1', 'mean_reversion_v1');
    await seed.metrics([
      { modelVersionId: v1.id, strategyId: 'momentum_v1', metricName: 'accuracy', metricValue: 0.82, metricType: 'classification', evaluatedAt: new Date(NOW - 2 * HOUR), datasetSize: 10_000 },
      { modelVersionId: v1.id, strategyId: 'momentum_v1', metricName: 'sharpe_ratio', metricValue: 1.5, metricType: 'trading_performance', evaluatedAt: new Date(NOW - 2 * HOUR), datasetSize: 10_000 },
    ]);
    for (const [pnl, ago] of [[20, 3], [-5, 3], [12, 1]] as const) {
      await seed.execution({ strategy_id: 'momentum_v1', realized_pnl: pnl, executed_at: new Date(NOW - ago * HOUR + 60_000) });
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = async (path: string): Promise<unknown> => (await t.get(path).expect(200)).body as unknown;

  it('GET /health', async () => {
    const body = (await t.http.get('/health').expect(200)).body as Record<string, unknown>;
    expect(contractProblems(EXAMPLES.health, body)).toEqual([]);
    expect(body).toMatchObject({ status: 'healthy', details: { database: 'connected', message_queue: 'connected', model_storage: 'accessible', active_models: 1 } });
  });

  it('GET /api/v1/models', async () => {
    const body = await get('/api/v1/models?strategy_id=momentum_v1&limit=100&offset=0');
    expect(contractProblems(EXAMPLES.listModels, body)).toEqual([]);
    expect(body).toMatchObject({ total: 2, limit: 100, offset: 0 });
  });

  it('GET /api/v1/models/{version}', async () => {
    const body = await get('/api/v1/models/v1');
    expect(contractProblems(EXAMPLES.modelDetails, body)).toEqual([]);
    expect(body).toMatchObject({ version: 'v1', training_dataset_size: 50_000, training_duration_seconds: 1200, is_warmup_mode: false });
  });

  it('GET /api/v1/models/{version}/metrics: an array, with the original metric types', async () => {
    const res = await t.get('/api/v1/models/v1/metrics').expect(200);
    expect(contractProblems(EXAMPLES.metrics, res.body)).toEqual([]);
    expect(res.headers['x-total-count']).toBe('2');
    const rows = res.body as Array<{ metric_name: string; metric_type: string; evaluation_dataset_size: number }>;
    expect(rows.map((r) => [r.metric_type, r.metric_name]).sort()).toEqual([['classification', 'accuracy'], ['trading_performance', 'sharpe_ratio']]);
    const filtered = (await t.get('/api/v1/models/v1/metrics?metric_type=classification&metric_name=accuracy').expect(200)).body as unknown[];
    expect(filtered).toHaveLength(1);
  });

  it('GET /api/v1/models/{version}/metrics/time-series', async () => {
    const body = await get('/api/v1/models/v1/metrics/time-series?granularity=hour&metric_names=accuracy,sharpe_ratio');
    expect(contractProblems(EXAMPLES.metricTimeSeries, body)).toEqual([]);
    expect((body as { data_points: unknown[] }).data_points).toEqual(
      expect.arrayContaining([{ timestamp: new Date(NOW - 2 * HOUR).toISOString(), value: 0.82, metric_name: 'accuracy' }]),
    );
  });

  it('GET /api/v1/training/status', async () => {
    const body = await get('/api/v1/training/status');
    expect(contractProblems(EXAMPLES.trainingStatus, body)).toEqual([]);
    expect(body).toMatchObject({ is_training: false, next_scheduled_training: '2026-03-11T02:00:00.000Z' });
  });

  it('GET /api/v1/monitoring/models/performance', async () => {
    const body = await get('/api/v1/monitoring/models/performance');
    expect(contractProblems(EXAMPLES.modelsPerformance, body)).toEqual([]);
    expect(body).toMatchObject({ active_models_count: 1, total_models_count: 3, models_by_strategy: { momentum_v1: 2, mean_reversion_v1: 1 }, models_by_type: { mlp: 3 } });
  });

  it('GET /api/v1/monitoring/health', async () => {
    const body = await get('/api/v1/monitoring/health');
    expect(contractProblems(EXAMPLES.monitoringHealth, body)).toEqual([]);
    expect(body).toMatchObject({ database_connected: true, message_queue_connected: true, model_storage_accessible: true, active_models: 1, warmup_mode_enabled: true });
  });

  it('GET /api/v1/strategies/{strategy_id}/performance/time-series', async () => {
    const body = await get('/api/v1/strategies/momentum_v1/performance/time-series?granularity=hour');
    expect(contractProblems(EXAMPLES.strategyTimeSeries, body)).toEqual([]);
    const points = (body as { data_points: Array<{ total_pnl: number; total_orders: number }> }).data_points;
    expect(points.map((p) => [p.total_orders, p.total_pnl])).toEqual([[2, 15], [1, 12]]);
  });

  it('POST /api/v1/models/{version}/activate and POST /api/v1/training/trigger', async () => {
    const activated = (await t.post('/api/v1/models/v2/activate', { strategy_id: 'momentum_v1' }).expect(200)).body as unknown;
    expect(contractProblems(EXAMPLES.activate, activated)).toEqual([]);
    expect(activated).toMatchObject({ version: 'v2', strategy_id: 'momentum_v1', is_active: true });
    const triggered = (await t.post('/api/v1/training/trigger', { strategy_id: 'momentum_v1' })).body as unknown;
    expect(contractProblems(EXAMPLES.trainingTrigger, triggered)).toEqual([]);
    expect(triggered).toMatchObject({ triggered: true, strategy_id: 'momentum_v1' });
  });

  it('a client written from the original README lists models, activates one, reads metrics and triggers training', async () => {
    const client = new OriginalModelServiceClient(baseUrl, TEST_API_KEY);
    const listed = await client.listModels('momentum_v1');
    expect(listed.items.map((m) => m.version).sort()).toEqual(['v1', 'v2']);
    expect(listed.items.every((m) => typeof m.trained_at === 'string')).toBe(true);
    const activated = await client.activate('v1', 'momentum_v1');
    expect(activated).toMatchObject({ version: 'v1', strategy_id: 'momentum_v1', is_active: true });
    expect((await client.listModels('momentum_v1')).items.filter((m) => m.is_active).map((m) => m.version)).toEqual(['v1']);
    const metrics = await client.metrics('v1', 'trading_performance');
    expect(metrics.map((m) => [m.metric_name, m.metric_value])).toEqual([['sharpe_ratio', 1.5]]);
    const triggered = await client.triggerTraining('momentum_v1');
    expect(triggered).toEqual(expect.objectContaining({ triggered: true, strategy_id: 'momentum_v1' }));
    expect(typeof triggered.message).toBe('string');
  });

  it('the checker itself finds a renamed field, a wrong type and a missing one', () => {
    expect(contractProblems(EXAMPLES.trainingTrigger, { status: 'accepted', queue: 'q' })).toEqual([
      '$.triggered: missing',
      '$.message: missing',
      '$.strategy_id: missing',
    ]);
    expect(contractProblems(EXAMPLES.metrics, { items: [] })).toEqual(['$: object where the original has array']);
    expect(contractProblems(EXAMPLES.health, { ...EXAMPLES.health, details: { ...EXAMPLES.health.details, active_models: {} } })).toEqual([
      '$.details.active_models: object where the original has number',
    ]);
  });
});
