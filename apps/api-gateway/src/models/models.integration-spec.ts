import { FakeClock } from '@model-service/util/testing';

import { gatewayTestAppPerSuite } from '../testing/gateway-test-app.testing';
import { Seeder } from '../testing/seed.testing';

const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);
const H = 3_600_000;

describe('api-gateway model listing, details and metrics (real PostgreSQL and RabbitMQ)', () => {
  const clock = new FakeClock(NOW);
  const t = gatewayTestAppPerSuite({ clock });
  let seed: Seeder;

  beforeAll(() => {
    seed = new Seeder(t.db.dataSource, t.storageDir);
  });

  describe('GET /api/v1/models', () => {
    it('answers an empty page before any version exists', async () => {
      const res = await t.get('/api/v1/models').expect(200);
      expect(res.body).toEqual({ items: [], total: 0, limit: 100, offset: 0 });
    });

    it('lists newest first with filters and paginates to the edges', async () => {
      await seed.model('list-a-1', 'list-a');
      await seed.model('list-a-2', 'list-a');
      await seed.model('list-b-1', 'list-b');
      await seed.model('list-b-2', 'list-b', { status: 'rejected' });
      await seed.model('list-a-3', 'list-a');
      await seed.activate('list-a-2', 'list-a');

      const all = await t.get('/api/v1/models?strategy_id=list-a').expect(200);
      expect(all.body.total).toBe(3);
      expect(all.body.items.map((m: { version: string }) => m.version)).toEqual(['list-a-3', 'list-a-2', 'list-a-1']);
      const item = all.body.items[1];
      expect(item).toMatchObject({
        version: 'list-a-2',
        strategy_id: 'list-a',
        is_active: true,
        status: 'active',
        model_type: 'mlp',
        feature_set_version: 'fs-1',
        metrics: { accuracy: 0.8 },
      });
      expect(item.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(item.activated_at).toMatch(/Z$/);

      const active = await t.get('/api/v1/models?is_active=true&strategy_id=list-a').expect(200);
      expect(active.body.items.map((m: { version: string }) => m.version)).toEqual(['list-a-2']);
      const inactive = await t.get('/api/v1/models?is_active=false&strategy_id=list-a').expect(200);
      expect(inactive.body.total).toBe(2);
      const rejected = await t.get('/api/v1/models?status=rejected').expect(200);
      expect(rejected.body.items.map((m: { version: string }) => m.version)).toEqual(['list-b-2']);

      const page1 = await t.get('/api/v1/models?strategy_id=list-a&limit=2&offset=0').expect(200);
      expect(page1.body).toMatchObject({ total: 3, limit: 2, offset: 0 });
      expect(page1.body.items).toHaveLength(2);
      const page2 = await t.get('/api/v1/models?strategy_id=list-a&limit=2&offset=2').expect(200);
      expect(page2.body.items.map((m: { version: string }) => m.version)).toEqual(['list-a-1']);
      const beyond = await t.get('/api/v1/models?strategy_id=list-a&limit=2&offset=3').expect(200);
      expect(beyond.body).toEqual({ items: [], total: 3, limit: 2, offset: 3 });
      const max = await t.get('/api/v1/models?limit=1000').expect(200);
      expect(max.body.limit).toBe(1000);
      const one = await t.get('/api/v1/models?limit=1').expect(200);
      expect(one.body.items).toHaveLength(1);
    });

    it.each([
      ['limit=5000', 'limit', /limit must not be greater than 1000/],
      ['limit=1001', 'limit', /limit/],
      ['limit=0', 'limit', /limit must not be less than 1/],
      ['limit=abc', 'limit', /limit must be an integer/],
      ['limit=2.5', 'limit', /limit must be an integer/],
      ['offset=-1', 'offset', /offset must not be less than 0/],
      ['is_active=maybe', 'is_active', /is_active must be true or false/],
      ['status=shiny', 'status', /status must be one of/],
      ['color=red', 'color', /property color should not exist/],
    ])('refuses ?%s with a 400 naming %s', async (query, field, message) => {
      const res = await t.get(`/api/v1/models?${query}`).expect(400);
      expect(res.body).toMatchObject({ status_code: 400, error: 'validation_error', field });
      expect(res.body.message).toMatch(message);
      expect(res.body.trace_id).toBe(res.headers['x-trace-id']);
    });
  });

  describe('GET /api/v1/models/:version and its metrics', () => {
    beforeAll(async () => {
      const m = await seed.model('det-1', 'det');
      const base = NOW - 10 * H;
      await seed.metrics([
        { modelVersionId: m.id, strategyId: 'det', metricName: 'accuracy', metricValue: 0.7, metricType: 'classification', evaluatedAt: new Date(base), datasetSize: 500 },
        { modelVersionId: m.id, strategyId: 'det', metricName: 'accuracy', metricValue: 0.8, metricType: 'classification', evaluatedAt: new Date(base + 10 * 60_000) },
        { modelVersionId: m.id, strategyId: 'det', metricName: 'accuracy', metricValue: 0.9, metricType: 'live', evaluatedAt: new Date(base + 2 * H) },
        { modelVersionId: m.id, strategyId: 'det', metricName: 'f1', metricValue: 0.6, metricType: 'classification', evaluatedAt: new Date(base + 30 * 60_000) },
        { modelVersionId: m.id, strategyId: 'det', metricName: 'win_rate', metricValue: 0.55, metricType: 'live', evaluatedAt: new Date(NOW - 9 * 24 * H) },
      ]);
      await seed.model('det-empty', 'det');
    });

    it('returns the version with the latest value of each metric', async () => {
      const res = await t.get('/api/v1/models/det-1').expect(200);
      expect(res.body).toMatchObject({ version: 'det-1', strategy_id: 'det', is_active: false, status: 'candidate' });
      const latest = res.body.quality_metrics.map((q: { metric_type: string; metric_name: string; metric_value: number }) => [
        q.metric_type,
        q.metric_name,
        q.metric_value,
      ]);
      expect(latest).toEqual([
        ['classification', 'accuracy', 0.8],
        ['classification', 'f1', 0.6],
        ['live', 'accuracy', 0.9],
        ['live', 'win_rate', 0.55],
      ]);
      const empty = await t.get('/api/v1/models/det-empty').expect(200);
      expect(empty.body.quality_metrics).toEqual([]);
    });

    it('answers 404 for an unknown version and 400 for a malformed one', async () => {
      const res = await t.get('/api/v1/models/no-such-version').expect(404);
      expect(res.body).toMatchObject({ status_code: 404, error: 'not_found', message: 'model version no-such-version not found' });
      await t.get('/api/v1/models/no-such-version/metrics').expect(404);
      await t.get('/api/v1/models/no-such-version/metrics/time-series').expect(404);
      const bad = await t.get('/api/v1/models/has%20space').expect(400);
      expect(bad.body.field).toBe('version');
      const long = await t.get(`/api/v1/models/${'v'.repeat(101)}`).expect(400);
      expect(long.body.field).toBe('version');
    });

    it('lists metrics newest first, filtered by type and name, paginated', async () => {
      // An array, as the original service answered; paging in headers.
      const all = await t.get('/api/v1/models/det-1/metrics').expect(200);
      expect(all.headers).toMatchObject({ 'x-total-count': '5', 'x-limit': '100', 'x-offset': '0' });
      expect(all.headers['link']).toBeUndefined();
      expect(all.body.map((q: { metric_value: number }) => q.metric_value)).toEqual([0.9, 0.6, 0.8, 0.7, 0.55]);
      expect(all.body[3]).toMatchObject({ metric_name: 'accuracy', metric_type: 'classification', dataset_size: 500, evaluation_dataset_size: 500 });
      const live = await t.get('/api/v1/models/det-1/metrics?metric_type=live').expect(200);
      expect(live.headers['x-total-count']).toBe('2');
      const acc = await t.get('/api/v1/models/det-1/metrics?metric_type=classification&metric_name=accuracy').expect(200);
      expect(acc.body.map((q: { metric_value: number }) => q.metric_value)).toEqual([0.8, 0.7]);
      const page = await t.get('/api/v1/models/det-1/metrics?limit=2&offset=4').expect(200);
      expect(page.body.map((q: { metric_value: number }) => q.metric_value)).toEqual([0.55]);
      expect(page.headers['link']).toBe('</api/v1/models/det-1/metrics?limit=2&offset=2>; rel="prev"');
      const first = await t.get('/api/v1/models/det-1/metrics?limit=2').expect(200);
      expect(first.headers['link']).toBe('</api/v1/models/det-1/metrics?limit=2&offset=2>; rel="next"');
      const none = await t.get('/api/v1/models/det-empty/metrics').expect(200);
      expect(none.body).toEqual([]);
      expect(none.headers['x-total-count']).toBe('0');
      const bad = await t.get('/api/v1/models/det-1/metrics?limit=5000').expect(400);
      expect(bad.body.field).toBe('limit');
    });

    it('aggregates the time series per bucket in SQL, defaulting to hourly over the last 7 days', async () => {
      const res = await t.get('/api/v1/models/det-1/metrics/time-series').expect(200);
      expect(res.body).toMatchObject({
        version: 'det-1',
        strategy_id: 'det',
        granularity: 'hour',
        start_time: new Date(NOW - 7 * 24 * H).toISOString(),
        end_time: new Date(NOW).toISOString(),
      });
      const accuracy = res.body.series.find((s: { metric_name: string }) => s.metric_name === 'accuracy');
      expect(accuracy.points).toEqual([
        { timestamp: new Date(NOW - 10 * H).toISOString(), avg: 0.75, min: 0.7, max: 0.8, last: 0.8, count: 2 },
        { timestamp: new Date(NOW - 8 * H).toISOString(), avg: 0.9, min: 0.9, max: 0.9, last: 0.9, count: 1 },
      ]);
      expect(res.body.series.map((s: { metric_name: string }) => s.metric_name)).toEqual(['accuracy', 'f1']); // win_rate is older than 7 days

      const daily = await t
        .get(`/api/v1/models/det-1/metrics/time-series?granularity=day&start_time=2026-02-01T00:00:00Z&end_time=2026-03-11T00:00:00Z&metric_names=win_rate,f1`)
        .expect(200);
      expect(daily.body.series.map((s: { metric_name: string; points: unknown[] }) => [s.metric_name, s.points.length])).toEqual([
        ['f1', 1],
        ['win_rate', 1],
      ]);
      expect(daily.body.series[1].points[0].timestamp).toBe('2026-03-01T00:00:00.000Z');

      const empty = await t.get('/api/v1/models/det-empty/metrics/time-series?granularity=week').expect(200);
      expect(empty.body.series).toEqual([]);
    });

    it.each([
      ['granularity=minute', 'granularity', /granularity must be one of: hour, day, week/],
      ['start_time=yesterday', 'start_time', /start_time must be an ISO 8601 date-time/],
      ['start_time=2026-03-02T00:00:00Z&end_time=2026-03-01T00:00:00Z', 'end_time', /end_time must be after start_time/],
      ['start_time=2026-03-01T00:00:00Z&end_time=2026-03-01T00:00:00Z', 'end_time', /end_time must be after start_time/],
      ['start_time=2026-04-01T00:00:00Z', 'start_time', /start_time must be in the past/],
      ['start_time=2020-01-01T00:00:00Z&end_time=2026-01-01T00:00:00Z', 'start_time', /spans 2192 days; at most 90 are allowed/],
      ['metric_names=' + Array.from({ length: 51 }, (_, i) => `m${i}`).join(','), 'metric_names', /metric_names/],
    ])('refuses time-series ?%s naming %s', async (query, field, message) => {
      const res = await t.get(`/api/v1/models/det-1/metrics/time-series?${query}`).expect(400);
      expect(res.body.field).toBe(field);
      expect(res.body.message).toMatch(message);
    });
  });
});
