import { declareSignalRoute, Publisher, publishSignal, RabbitConnection, SignalRecordWriter, signalRouteOf } from '@model-service/messaging';
import { deleteExchanges, deleteQueues, queueDepth, takeAll, TEST_RABBITMQ_URL, uniqueName, waitFor } from '@model-service/messaging/testing';
import { createDataSource, TradingSignalRepository } from '@model-service/repositories';
import { createTestDataSource, TestDataSource, TradingSignalEntity } from '@model-service/repositories/testing';
import { QUEUES } from '@model-service/signals';
import { exampleTradingSignal } from '@model-service/signals/testing';
import { configureLogging } from '@model-service/util';
import { TcpProxy } from '@model-service/util/testing';
import { DataSource } from 'typeorm';

const RABBIT_URL = TEST_RABBITMQ_URL;

function proxyTo(url: string, defaultPort: number): Promise<TcpProxy> {
  const u = new URL(url);
  return TcpProxy.start({ targetHost: u.hostname, targetPort: Number(u.port || defaultPort) });
}

/**
 * Signal records live in the broker until their row is committed: one publish reaches the order manager's
 * queue and our records queue; the writer acks only after the insert. PostgreSQL (and the writer's broker
 * connection) go through TCP proxies the test cuts, so the shared servers keep serving everyone else.
 */
describe('signal records through the broker', () => {
  const route = signalRouteOf(`${uniqueName('it-records')}.${QUEUES.TRADING_SIGNALS}`);
  let db: TestDataSource;
  let pgProxy: TcpProxy;
  let amqpProxy: TcpProxy;
  let proxied: DataSource;
  let connection: RabbitConnection;
  let publisher: Publisher;
  const writers: SignalRecordWriter[] = [];

  const writer = (url: string): SignalRecordWriter => {
    const repo = new TradingSignalRepository(proxied);
    const w = new SignalRecordWriter({ url, name: uniqueName('records-spec'), route, store: (s, at) => repo.insert(s, at), prefetch: 20 });
    writers.push(w);
    return w;
  };
  const stored = (strategyId: string): Promise<TradingSignalEntity[]> =>
    db.dataSource.getRepository(TradingSignalEntity).find({ where: { strategyId } });

  beforeAll(async () => {
    configureLogging({ service: 'records-spec', level: 'error', format: 'json' });
    db = await createTestDataSource({ prefix: 'records' });
    pgProxy = await proxyTo(db.url, 5432);
    amqpProxy = await proxyTo(RABBIT_URL, 5672);
    proxied = createDataSource({ url: pgProxy.rewrite(db.url), schema: db.schema, poolSize: 2, applicationName: 'records-spec' });
    await proxied.initialize();
    connection = new RabbitConnection({ url: RABBIT_URL, name: uniqueName('records-publisher') });
    publisher = new Publisher(connection);
    await declareSignalRoute(publisher, route);
  }, 60_000);

  afterAll(async () => {
    for (const w of writers) await w.stop().catch(() => undefined);
    await publisher?.close();
    await connection?.close();
    if (proxied?.isInitialized) await proxied.destroy().catch(() => undefined);
    await pgProxy?.close();
    await amqpProxy?.close();
    await deleteQueues(RABBIT_URL, [route.signalsQueue, `${route.signalsQueue}.dlq`, route.recordsQueue, `${route.recordsQueue}.dlq`]);
    await deleteExchanges(RABBIT_URL, [route.exchange, `${route.recordsQueue}.dlx`]);
    await db?.drop();
  });

  it('one publish reaches the order manager’s queue and the records queue; the writer stores each once', async () => {
    const signals = Array.from({ length: 20 }, () => exampleTradingSignal({ strategy_id: 'records_ok' }));
    await Promise.all(signals.map((s) => publishSignal(publisher, route, s)));
    expect(await queueDepth(RABBIT_URL, route.signalsQueue)).toBe(20);
    await writer(RABBIT_URL).start();
    await waitFor(async () => (await stored('records_ok')).length === 20, 15_000, '20 rows');
    expect(new Set((await stored('records_ok')).map((r) => r.signalId))).toEqual(new Set(signals.map((s) => s.signal_id)));
    const delivered = await takeAll(RABBIT_URL, route.signalsQueue);
    expect(delivered.map((m) => JSON.parse(m.body.toString()).signal_id).sort()).toEqual(signals.map((s) => s.signal_id).sort());
    await waitFor(async () => (await queueDepth(RABBIT_URL, route.recordsQueue)) === 0, 5_000, 'records acked');
    await writers.pop()?.stop();
  }, 60_000);

  it('records published while PostgreSQL is unreachable survive the writer’s sudden death and are stored once after', async () => {
    const first = writer(amqpProxy.rewrite(RABBIT_URL));
    await first.start();
    pgProxy.cut();
    const signals = Array.from({ length: 30 }, () => exampleTradingSignal({ strategy_id: 'records_outage' }));
    await Promise.all(signals.map((s) => publishSignal(publisher, route, s)));
    await new Promise((r) => setTimeout(r, 2_000)); // the writer tries, fails with connection errors, pauses
    expect(await stored('records_outage')).toHaveLength(0);
    expect(await queueDepth(RABBIT_URL, `${route.recordsQueue}.dlq`)).toBe(0); // transient: nothing dead-lettered

    // kill -9 of the writer's process, as far as the broker can tell: its connection vanishes mid-pause.
    amqpProxy.cut();
    await waitFor(async () => (await queueDepth(RABBIT_URL, route.recordsQueue)) === 30, 15_000, 'records back in the queue');
    pgProxy.restore();
    await writer(RABBIT_URL).start();
    await waitFor(async () => (await stored('records_outage')).length === 30, 20_000, '30 rows after the outage');
    const rows = await stored('records_outage');
    expect(new Set(rows.map((r) => r.signalId))).toEqual(new Set(signals.map((s) => s.signal_id)));
    expect(rows).toHaveLength(30);
    expect(await queueDepth(RABBIT_URL, `${route.recordsQueue}.dlq`)).toBe(0);
    amqpProxy.restore();
  }, 90_000);
});
