import { ModelVersionRepository } from '@model-service/repositories';
import { ModelEvent, parse } from '@model-service/signals';
import { FakeClock } from '@model-service/util/testing';

import { ExchangeWatcher, watchFanout } from '../testing/broker.testing';
import { GatewayTestApp, RABBITMQ_URL, startGatewayTestApp } from '../testing/gateway-test-app.testing';
import { Seeder } from '../testing/seed.testing';

const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);

describe('api-gateway model activation and rollback (real PostgreSQL and RabbitMQ)', () => {
  let t: GatewayTestApp;
  let seed: Seeder;
  let events: ExchangeWatcher;

  beforeAll(async () => {
    t = await startGatewayTestApp({ clock: new FakeClock(NOW) });
    seed = new Seeder(t.db.dataSource, t.storageDir);
    events = await watchFanout(RABBITMQ_URL, t.targets.modelEventsExchange);
  });
  afterAll(async () => {
    await events?.close();
    await t?.close();
  });

  const versions = () => new ModelVersionRepository(t.db.dataSource);

  describe('POST activate and rollback', () => {
    it('activates atomically (one active per strategy) and publishes model_activated matching the ModelEvent contract', async () => {
      await seed.model('act-1', 'act');
      await seed.model('act-2', 'act');
      const first = await t.post('/api/v1/models/act-1/activate', { strategy_id: 'act', reason: 'first model' }).set('X-Trace-Id', 'ops-trace-act-1').expect(200);
      expect(first.headers['x-trace-id']).toBe('ops-trace-act-1');
      expect(first.body).toMatchObject({ strategy_id: 'act', previous_version: null, changed: true });
      expect(first.body.active_version).toMatchObject({ version: 'act-1', is_active: true, status: 'active' });

      const second = await t.post('/api/v1/models/act-2/activate', {}).expect(200);
      expect(second.body).toMatchObject({ strategy_id: 'act', previous_version: 'act-1', changed: true });

      const rows = await versions().list({ strategyId: 'act' });
      expect(rows.items.map((m) => [m.version, m.isActive, m.status])).toEqual([
        ['act-2', true, 'active'],
        ['act-1', false, 'retired'],
      ]);

      const received = await events.waitForMatching((m) => m.body['strategy_id'] === 'act', 2);
      expect(received).toHaveLength(2);
      const e1 = parse(ModelEvent, received[0]!.body);
      expect(e1).toMatchObject({ event_type: 'model_activated', strategy_id: 'act', version: 'act-1', previous_version: null, trace_id: 'ops-trace-act-1' });
      expect(e1.checksum).toBe(rows.items.find((m) => m.version === 'act-1')?.checksum);
      expect(e1.checksum).toEqual(expect.any(String));
      expect(e1.metadata).toMatchObject({ source: 'api-gateway', reason: 'first model', changed: true });
      expect(received[0]!.headers['trace_id']).toBe('ops-trace-act-1');
      expect(received[0]!.persistent).toBe(true);
      const e2 = parse(ModelEvent, received[1]!.body);
      expect(e2).toMatchObject({ event_type: 'model_activated', version: 'act-2', previous_version: 'act-1' });
      expect(e2.trace_id).toBe(second.headers['x-trace-id']);
      expect(e2.timestamp).toBe(new Date(NOW).toISOString());
    });

    it('re-activating the active version changes nothing but sends the event again', async () => {
      await seed.model('again-1', 'again');
      await t.post('/api/v1/models/again-1/activate').expect(200);
      const res = await t.post('/api/v1/models/again-1/activate').expect(200);
      expect(res.body).toMatchObject({ changed: false, previous_version: null });
      const sent = await events.waitForMatching((m) => m.body['strategy_id'] === 'again', 2);
      expect(sent.map((m) => [m.body['event_type'], m.body['version']])).toEqual([
        ['model_activated', 'again-1'],
        ['model_activated', 'again-1'],
      ]);
    });

    it('keeps exactly one active version when activations of one strategy race', async () => {
      for (let i = 0; i < 6; i++) await seed.model(`race-${i}`, 'race');
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => t.post(`/api/v1/models/race-${i}/activate`)));
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
      const active = await versions().list({ strategyId: 'race', isActive: true });
      expect(active.total).toBe(1);
    });

    it('refuses a version of another strategy, an archived one, or one whose files are missing (409, nothing changes)', async () => {
      await seed.model('own-1', 'own');
      const other = await t.post('/api/v1/models/own-1/activate', { strategy_id: 'someone-else' }).expect(409);
      expect(other.body).toMatchObject({ error: 'conflict' });
      expect(other.body.message).toMatch(/belongs to strategy own/);

      await seed.model('own-archived', 'own');
      await versions().archive('own-archived');
      await t.post('/api/v1/models/own-archived/activate').expect(409);

      await seed.model('own-nofiles', 'own', { files: false });
      const missing = await t.post('/api/v1/models/own-nofiles/activate').expect(409);
      expect(missing.body.message).toMatch(/files of model version own-nofiles are missing/);
      expect((await versions().list({ strategyId: 'own', isActive: true })).total).toBe(0);
      expect(events.messages.filter((m) => m.body['strategy_id'] === 'own')).toHaveLength(0);
    });

    it('validates the body and answers 404 for unknown versions', async () => {
      await t.post('/api/v1/models/nope/activate').expect(404);
      await t.post('/api/v1/models/nope/rollback').expect(404);
      await seed.model('body-1', 'body');
      const extra = await t.post('/api/v1/models/body-1/activate', { strategy: 'body' }).expect(400);
      expect(extra.body.field).toBe('strategy');
      const wrongType = await t.post('/api/v1/models/body-1/activate', { strategy_id: 42 }).expect(400);
      expect(wrongType.body.field).toBe('strategy_id');
      const broken = await t.http
        .post('/api/v1/models/body-1/activate')
        .set('X-API-Key', t.config.MODEL_SERVICE_API_KEY!)
        .set('Content-Type', 'application/json')
        .send('{"strategy_id": ')
        .expect(400);
      expect(broken.body.status_code).toBe(400);
    });

    it('rolls the active version back to the previous good one and publishes model_rolled_back', async () => {
      await seed.model('rb-1', 'rb');
      await seed.model('rb-2', 'rb');
      await t.post('/api/v1/models/rb-1/activate').expect(200);
      await t.post('/api/v1/models/rb-2/activate').expect(200);
      const notActive = await t.post('/api/v1/models/rb-1/rollback').expect(409);
      expect(notActive.body.message).toMatch(/only the active version can be rolled back/);

      const res = await t.post('/api/v1/models/rb-2/rollback', { reason: 'live accuracy dropped' }).set('X-Trace-Id', 'ops-rollback-1').expect(200);
      expect(res.body).toMatchObject({ strategy_id: 'rb', previous_version: 'rb-2', changed: true });
      expect(res.body.active_version).toMatchObject({ version: 'rb-1', is_active: true });
      const rows = await versions().list({ strategyId: 'rb' });
      expect(rows.items.map((m) => [m.version, m.isActive, m.status])).toEqual([
        ['rb-2', false, 'rejected'],
        ['rb-1', true, 'active'],
      ]);
      const rolled = await events.waitForMatching((m) => m.body['strategy_id'] === 'rb' && m.body['event_type'] === 'model_rolled_back', 1);
      expect(rolled).toHaveLength(1);
      expect(parse(ModelEvent, rolled[0]!.body)).toMatchObject({ version: 'rb-1', previous_version: 'rb-2', trace_id: 'ops-rollback-1' });

      // rb-2 was rejected, so there is nothing good left to roll back to.
      const nothing = await t.post('/api/v1/models/rb-1/rollback').expect(409);
      expect(nothing.body.message).toMatch(/no earlier good model version/);
    });
  });
});

describe('api-gateway activation while RabbitMQ is unreachable', () => {
  it('switches in the database but answers 503 so the caller retries (a retry republishes)', async () => {
    const t = await startGatewayTestApp({ env: { RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:1' } });
    try {
      await new Seeder(t.db.dataSource, t.storageDir).model('down-1', 'down');
      const res = await t.post('/api/v1/models/down-1/activate').expect(503);
      expect(res.body).toMatchObject({ status_code: 503, error: 'message_broker_unavailable' });
      expect((await new ModelVersionRepository(t.db.dataSource).getOrThrow('down-1')).isActive).toBe(true);
    } finally {
      await t.close();
    }
  }, 60_000);
});
