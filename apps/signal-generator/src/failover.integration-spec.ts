import { randomBytes } from 'node:crypto';

import { AppProcess, freePort, spawnApp, waitForHttp } from '@model-service/platform/testing';
import { topology } from '@model-service/signals';
import { sleep } from '@model-service/util';

import { AMPLE_FUNDS, closeFlow, FlowMarket, openFlowMarket, RABBITMQ_URL } from './testing/flow-harness.testing';
const ASSETS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];
const PERIOD_S = 1;
const STRATEGIES = [
  { id: 'f_mom', heuristic: 'momentum', assets: ['BTCUSDT', 'ETHUSDT'], randomness: 0.3, short_selling: true },
  { id: 'f_mr', heuristic: 'mean_reversion', assets: ['ETHUSDT', 'SOLUSDT'], randomness: 0.3, short_selling: true },
  { id: 'f_rnd', heuristic: 'random', assets: ASSETS, short_selling: true },
  { id: 'f_mom_sol', heuristic: 'momentum', assets: ['SOLUSDT'], randomness: 0.5, short_selling: true },
  { id: 'f_rnd_btc', heuristic: 'random', assets: ['BTCUSDT'], short_selling: true },
].map((s) => ({ ...s, frequency_seconds: PERIOD_S }));
const IDS = STRATEGIES.map((s) => s.id);

interface Health {
  ownership?: { owned: string[] };
}

const owned = (body: unknown): string[] => (body as Health).ownership?.owned ?? [];

describe('signal-generator scale-out: two replicas, one killed', () => {
  const prefix = `sgfail.${randomBytes(4).toString('hex')}.`;
  const names = topology(prefix);
  let market: FlowMarket;
  let ticking: NodeJS.Timeout | undefined;
  const procs: AppProcess[] = [];

  beforeAll(async () => {
    market = await openFlowMarket('sgfail', names, AMPLE_FUNDS, 9);
    const { replay } = market;
    for (const asset of ASSETS) await replay.klineHistory(asset, 30);
    ticking = setInterval(() => {
      for (const asset of ASSETS) void replay.ticker(asset).catch(() => undefined);
    }, 250);
  }, 60_000);

  afterAll(async () => {
    clearInterval(ticking);
    for (const p of procs) await p.stop();
    await closeFlow({ ...market, names });
  }, 60_000);

  function start(replicaId: string, port: number): AppProcess {
    const proc = spawnApp('signal-generator', {
      MODEL_SERVICE_PORT: String(port),
      MODEL_SERVICE_SERVICE_NAME: `sg-failover-${replicaId}`,
      DATABASE_URL: market.db.url,
      DATABASE_SCHEMA: market.db.schema,
      RABBITMQ_URL,
      QUEUE_PREFIX: prefix,
      SIGNAL_GENERATION_REPLICA_ID: replicaId,
      SIGNAL_GENERATION_OWNERSHIP_RETRY_SECONDS: '1',
      SIGNAL_GENERATION_RATE_LIMIT: '6000',
      SIGNAL_GENERATION_BURST_ALLOWANCE: '100',
      MARKET_DATA_MAX_AGE_SECONDS: '10',
      TRADING_STRATEGIES: JSON.stringify(STRATEGIES),
      MODEL_SERVICE_LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    });
    procs.push(proc);
    return proc;
  }

  it("moves a killed replica's strategies to the other within 30 s; no strategy ever emits from both", async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    const a = start('A', portA);
    const healthA = await waitForHttp(`http://127.0.0.1:${portA}/health`, (s, b) => s === 200 && owned(b).length === 5, 90_000);
    expect({ owned: owned(healthA.body), output: owned(healthA.body).length === 5 ? '' : a.output() }).toEqual({ owned: IDS.slice().sort(), output: '' });

    start('B', portB);
    // B joins: A hands over down to its share (3), B takes 2.
    const healthB = await waitForHttp(`http://127.0.0.1:${portB}/health`, (s, b) => s === 200 && owned(b).length === 2, 90_000);
    const ownedByB = owned(healthB.body);
    expect(ownedByB).toHaveLength(2);
    await sleep(4_000);
    const beforeKill = Date.now();
    const fromBBeforeKill = new Set(market.reader.received.filter((r) => r.signal.metadata['replica_id'] === 'B').map((r) => r.signal.strategy_id));
    expect([...fromBBeforeKill].sort()).toEqual(ownedByB);

    a.child.kill('SIGKILL');
    await a.exited;
    const killedAt = Date.now();
    const all = await waitForHttp(`http://127.0.0.1:${portB}/health`, (_s, b) => owned(b).length === 5, 30_000);
    expect(owned(all.body)).toEqual(IDS.slice().sort());
    await sleep(3_000);

    // Every strategy resumed on B within 30 s of the kill.
    for (const id of IDS) {
      const firstFromB = market.reader.received.find((r) => r.signal.strategy_id === id && r.signal.metadata['replica_id'] === 'B' && r.receivedAt >= beforeKill);
      expect({ id, resumed: firstFromB !== undefined && firstFromB.receivedAt - killedAt < 30_000 }).toEqual({ id, resumed: true });
    }

    // Never from both: per strategy the emitting replica changes at most once (A..A B..B), and no stream
    // ever has two signals closer than half its period (what two emitters at once would produce).
    for (const id of IDS) {
      const seq = market.reader.received
        .filter((r) => r.signal.strategy_id === id)
        .sort((x, y) => Date.parse(x.signal.timestamp) - Date.parse(y.signal.timestamp))
        .map((r) => String(r.signal.metadata['replica_id']));
      const changes = seq.filter((r, i) => i > 0 && r !== seq[i - 1]).length;
      expect({ id, changes: changes <= 1, endsOnB: seq[seq.length - 1] === 'B' }).toEqual({ id, changes: true, endsOnB: true });
    }
    const streams = new Map<string, number[]>();
    for (const { signal } of market.reader.received) {
      const key = `${signal.strategy_id}/${signal.asset}`;
      streams.set(key, [...(streams.get(key) ?? []), Date.parse(signal.timestamp)]);
    }
    for (const [key, times] of streams) {
      times.sort((x, y) => x - y);
      const minGap = Math.min(...times.slice(1).map((t, i) => t - times[i]));
      expect({ key, minGap: minGap >= (PERIOD_S * 1000) / 2 }).toEqual({ key, minGap: true });
    }
    expect(market.reader.rejected).toEqual([]);
  }, 240_000);
});
