import { takeAll } from '@model-service/messaging/testing';
import { TrainingRunRepository } from '@model-service/repositories';
import { parse, TrainingCommand } from '@model-service/signals';
import { FakeClock } from '@model-service/util/testing';
import { randomUUID } from 'node:crypto';

import { gatewayTestAppPerSuite, RABBITMQ_URL } from '../testing/gateway-test-app.testing';
import { Seeder } from '../testing/seed.testing';

const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);
const H = 3_600_000;

describe('api-gateway /api/v1/training (real PostgreSQL and RabbitMQ)', () => {
  const clock = new FakeClock(NOW);
  const t = gatewayTestAppPerSuite({ clock, env: { MODEL_RETRAINING_SCHEDULE: '0 3 * * *' } });
  let seed: Seeder;
  let runs: TrainingRunRepository;

  beforeAll(() => {
    seed = new Seeder(t.db.dataSource, t.storageDir);
    runs = new TrainingRunRepository(t.db.dataSource);
  });

  /** A run with explicit times (the trainer writes these rows; here the repository stands in for it). */
  async function run(strategyId: string, status: 'running' | 'succeeded' | 'failed' | 'queued', startedAt: number, finishedAt?: number) {
    const r = await runs.create({ strategyId, trigger: 'manual' });
    await t.db.dataSource.query('UPDATE training_runs SET queued_at = $1 WHERE id = $2', [new Date(startedAt - 1000), r.id]);
    if (status === 'queued') return runs.getOrThrow(r.id);
    await runs.update(r.id, {
      status,
      startedAt: new Date(startedAt),
      finishedAt: finishedAt === undefined ? null : new Date(finishedAt),
      progress: status === 'running' ? { epoch: 3, epochs: 20, loss: 0.61 } : null,
      datasetSize: 1200,
      modelVersion: status === 'succeeded' ? `${strategyId}-v` : null,
      error: status === 'failed' ? 'NaN loss' : null,
    });
    return runs.getOrThrow(r.id);
  }

  describe('GET /api/v1/training/status', () => {
    it('says nothing is training when there are no runs, and shows the next scheduled run', async () => {
      const res = await t.get('/api/v1/training/status').expect(200);
      expect(res.body).toEqual({
        strategy_id: null,
        is_training: false,
        current_training: null,
        active_runs: 0,
        last_training: null,
        next_scheduled_training: '2026-03-11T03:00:00.000Z',
        buffered_events_count: 0,
        buffered_events_since: null,
      });
    });

    it('shows the running run, the last finished one, and the executions since the last successful run started', async () => {
      const good = await run('st', 'succeeded', NOW - 5 * H, NOW - 4 * H);
      await run('st', 'failed', NOW - 3 * H, NOW - 2 * H);
      const current = await run('st', 'running', NOW - 30 * 60_000);
      await run('other', 'queued', NOW - 60_000);
      await seed.execution({ strategy_id: 'st', executed_at: new Date(NOW - 6 * H) });
      await seed.execution({ strategy_id: 'st', executed_at: new Date(NOW - 2 * H) });
      await seed.execution({ strategy_id: 'st', executed_at: new Date(NOW - H) });
      await seed.execution({ strategy_id: 'other', executed_at: new Date(NOW - H) });

      const res = await t.get('/api/v1/training/status?strategy_id=st').expect(200);
      expect(res.body).toMatchObject({
        strategy_id: 'st',
        is_training: true,
        active_runs: 1,
        buffered_events_count: 2,
        buffered_events_since: new Date(NOW - 5 * H).toISOString(),
      });
      expect(res.body.current_training).toMatchObject({
        id: current.id,
        status: 'running',
        trigger: 'manual',
        progress: { epoch: 3, epochs: 20, loss: 0.61 },
        started_at: new Date(NOW - 30 * 60_000).toISOString(),
        finished_at: null,
        duration_seconds: 1800,
      });
      expect(res.body.last_training).toMatchObject({ status: 'failed', error: 'NaN loss', duration_seconds: 3600 });
      expect(good.status).toBe('succeeded');

      const all = await t.get('/api/v1/training/status').expect(200);
      expect(all.body).toMatchObject({ strategy_id: null, is_training: true, active_runs: 2 });
      const none = await t.get('/api/v1/training/status?strategy_id=never-trained').expect(200);
      expect(none.body).toMatchObject({ is_training: false, current_training: null, last_training: null, buffered_events_count: 0 });
    });

    it('refuses an unknown query parameter and an over-long strategy id', async () => {
      expect((await t.get('/api/v1/training/status?strategy=st').expect(400)).body.field).toBe('strategy');
      expect((await t.get(`/api/v1/training/status?strategy_id=${'s'.repeat(101)}`).expect(400)).body.field).toBe('strategy_id');
    });
  });

  describe('POST trigger and cancel', () => {
    it('sends a persistent TrainingCommand carrying the trace id to the trainer queue', async () => {
      const res = await t.post('/api/v1/training/trigger', { strategy_id: 'trig', reason: 'new data' }).set('X-Trace-Id', 'ops-train-1').expect(202);
      expect(res.body).toMatchObject({ status: 'accepted', queue: t.targets.trainingCommands, active_runs: 0 });
      const cancel = await t.post('/api/v1/training/cancel', { strategy_id: 'trig' }).expect(202);
      expect(cancel.body.command).toMatchObject({ command: 'cancel', strategy_id: 'trig' });

      const stored = await takeAll(RABBITMQ_URL, t.targets.trainingCommands);
      expect(stored).toHaveLength(2);
      const train = parse(TrainingCommand, stored[0]!.body);
      expect(train).toEqual({
        command: 'train',
        strategy_id: 'trig',
        reason: 'new data',
        requested_by: expect.stringMatching(/^key_[0-9a-f]{12}$/),
        timestamp: new Date(NOW).toISOString(),
        trace_id: 'ops-train-1',
        command_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      expect(stored[0]!.persistent).toBe(true);
      expect(stored[0]!.headers['trace_id']).toBe('ops-train-1');
      expect(res.body.command).toEqual(JSON.parse(stored[0]!.body.toString()));
      const cancelled = parse(TrainingCommand, stored[1]!.body);
      expect(cancelled).toMatchObject({ command: 'cancel', strategy_id: 'trig', trace_id: cancel.headers['x-trace-id'] });
    });

    it.each([
      ['no strategy_id', {}, 'strategy_id', /strategy_id must be/],
      ['an empty strategy_id', { strategy_id: '' }, 'strategy_id', /strategy_id must be longer than or equal to 1/],
      ['a 101-character strategy_id', { strategy_id: 's'.repeat(101) }, 'strategy_id', /strategy_id must be shorter than or equal to 100/],
      ['a 501-character reason', { strategy_id: 'x', reason: 'r'.repeat(501) }, 'reason', /reason/],
      ['an unknown field', { strategy_id: 'x', force: true }, 'force', /should not exist/],
    ])('refuses a trigger body with %s (400 naming the field) and sends nothing', async (_label, body, field, message) => {
      const res = await t.post('/api/v1/training/trigger', body).expect(400);
      expect(res.body.field).toBe(field);
      expect(res.body.message).toMatch(message);
      expect(await takeAll(RABBITMQ_URL, t.targets.trainingCommands)).toEqual([]);
    });
  });

  describe('training runs', () => {
    it('lists runs newest first with filters and pagination edges', async () => {
      const res = await t.get('/api/v1/training/runs?strategy_id=st').expect(200);
      expect(res.body.total).toBe(3);
      expect(res.body.items.map((r: { status: string }) => r.status)).toEqual(['running', 'failed', 'succeeded']);
      const failed = await t.get('/api/v1/training/runs?status=failed').expect(200);
      expect(failed.body.items.map((r: { strategy_id: string }) => r.strategy_id)).toEqual(['st']);
      const manual = await t.get('/api/v1/training/runs?trigger=manual&limit=1&offset=3').expect(200);
      expect(manual.body).toMatchObject({ total: 4, limit: 1, offset: 3 });
      expect(manual.body.items).toHaveLength(1);
      const beyond = await t.get('/api/v1/training/runs?offset=4').expect(200);
      expect(beyond.body).toMatchObject({ items: [], total: 4 });
      const none = await t.get('/api/v1/training/runs?trigger=schedule').expect(200);
      expect(none.body).toMatchObject({ items: [], total: 0 });
      expect((await t.get('/api/v1/training/runs?status=done').expect(400)).body.field).toBe('status');
      expect((await t.get('/api/v1/training/runs?limit=5000').expect(400)).body.field).toBe('limit');
    });

    it('returns one run, 404 for an unknown id and 400 for a malformed one', async () => {
      const [first] = (await runs.list({ strategyId: 'st', status: 'succeeded' })).items;
      const res = await t.get(`/api/v1/training/runs/${first!.id}`).expect(200);
      expect(res.body).toMatchObject({ id: first!.id, strategy_id: 'st', status: 'succeeded', model_version: 'st-v', dataset_size: 1200 });
      const missing = await t.get(`/api/v1/training/runs/${randomUUID()}`).expect(404);
      expect(missing.body.error).toBe('not_found');
      const bad = await t.get('/api/v1/training/runs/not-a-uuid').expect(400);
      expect(bad.body).toMatchObject({ field: 'id', message: 'id must be a UUID' });
    });

    it('cancels a running run through a cancel command; an ended run is a 409', async () => {
      const [running] = await runs.running('st');
      const res = await t.post(`/api/v1/training/runs/${running!.id}/cancel`).expect(202);
      expect(res.body).toMatchObject({ active_runs: 1, command: { command: 'cancel', strategy_id: 'st' } });
      const stored = await takeAll(RABBITMQ_URL, t.targets.trainingCommands);
      expect(stored.map((m) => parse(TrainingCommand, m.body).command)).toEqual(['cancel']);

      const [ended] = (await runs.list({ strategyId: 'st', status: 'failed' })).items;
      const conflict = await t.post(`/api/v1/training/runs/${ended!.id}/cancel`).expect(409);
      expect(conflict.body.message).toMatch(/is failed; only a queued or running run can be cancelled/);
      await t.post(`/api/v1/training/runs/${randomUUID()}/cancel`).expect(404);
      expect((await t.post('/api/v1/training/runs/123/cancel').expect(400)).body.field).toBe('id');
    });
  });
});
