import { randomBytes } from 'node:crypto';

import { configureLogging, sleep } from '@model-service/util';
import { Client } from 'pg';
import { queryRows, TEST_DATABASE_URL } from '@model-service/repositories/testing';

import { AdvisoryLockSession } from '@model-service/repositories';

import { OWNERSHIP_PROOF_MS, ownershipTarget, StrategyOwnership } from './strategy-ownership';

const DATABASE_URL = TEST_DATABASE_URL;
const IDS = ['s1', 's2', 's3', 's4', 's5'];

async function waitUntil(what: string, cond: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('StrategyOwnership (PostgreSQL advisory locks)', () => {
  const namespace = `test-${randomBytes(4).toString('hex')}`;
  const replicas: StrategyOwnership[] = [];
  const running = new Map<string, Set<string>>();

  function replica(name: string): StrategyOwnership {
    const mine = new Set<string>();
    running.set(name, mine);
    const o = new StrategyOwnership({
      url: DATABASE_URL,
      namespace,
      strategyIds: IDS,
      retryMs: 150,
      replicaId: name,
      onAcquired: (id) => mine.add(id),
      onReleased: async (id) => {
        mine.delete(id);
      },
    });
    replicas.push(o);
    return o;
  }

  beforeAll(() => configureLogging({ service: 'ownership-test', level: 'error' }));
  afterAll(async () => {
    for (const r of replicas) await r.stop();
  });

  it.each([
    [5, 1, 5],
    [5, 2, 3],
    [5, 3, 2],
    [5, 5, 1],
    [5, 6, 1],
    [5, 0, 5],
  ])('share of %d strategies among %d replicas is %d', (total, members, share) => {
    expect(ownershipTarget(total, members)).toBe(share);
  });

  it('one owner per strategy; a joining replica gets its share; a lost lock session stops its owner at once; never two confirmed owners', async () => {
    const a = replica('A');
    const b = replica('B');
    let sampling = true;
    const doubles: string[] = [];
    // Invariant, sampled throughout: a strategy is never confirmed (lock proven held) by both replicas.
    const sampler = (async () => {
      while (sampling) {
        for (const id of IDS) {
          const [ca, cb] = await Promise.all([a.confirm(id), b.confirm(id)]);
          if (ca && cb) doubles.push(id);
        }
        await sleep(5);
      }
    })();

    a.start();
    await waitUntil('A owns all five', () => a.ownedIds().length === 5);
    b.start();
    await waitUntil('rebalanced to 3 + 2', () => a.ownedIds().length === 3 && b.ownedIds().length === 2);
    expect([...a.ownedIds(), ...b.ownedIds()].sort()).toEqual(IDS);
    expect([...running.get('A')!].sort()).toEqual(a.ownedIds());

    // Cut A's lock session from the server side, as a network failure would: PostgreSQL drops its locks.
    const admin = new Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'signal-generator-locks:A'");
    await admin.end();
    // A stops its strategies as soon as it sees the session gone (before B can have taken them).
    await waitUntil('A released everything', () => running.get('A')!.size === 0, 5_000);
    // B takes what is free; A reconnects, and after the hand-overs settle the five are shared 3 + 2 again.
    const split = (): boolean => [a.ownedIds().length, b.ownedIds().length].sort().join('+') === '2+3';
    await waitUntil('a settled 3 + 2 split', () => split(), 10_000);
    await sleep(1_000);
    await waitUntil('a settled 3 + 2 split', () => split(), 10_000);
    sampling = false;
    await sampler;
    expect(doubles).toEqual([]);
    expect([...a.ownedIds(), ...b.ownedIds()].sort()).toEqual(IDS);
    expect([...running.get('A')!].sort()).toEqual(a.ownedIds());
    expect([...running.get('B')!].sort()).toEqual(b.ownedIds());
  }, 40_000);

  it('a replica that stops releases its strategies to the others', async () => {
    const [a, b] = replicas;
    await a.stop();
    await b.stop();
    const c = replica('C');
    c.start();
    await waitUntil('C owns all five', () => c.ownedIds().length === 5);
    expect(await c.confirm('s1')).toBe(true);
    await c.stop();
    expect(await c.confirm('s1')).toBe(false);
    expect(running.get('C')!.size).toBe(0);
  }, 30_000);

  it('a fresh proof confirms without a round trip of its own: the heartbeat keeps one', async () => {
    const d = replica('D');
    d.start();
    await waitUntil('D owns all five', () => d.ownedIds().length === 5);
    await sleep(OWNERSHIP_PROOF_MS);
    const pings = jest.spyOn(AdvisoryLockSession.prototype, 'ping');
    try {
      const started = performance.now();
      // Answered before any I/O callback could run: no round trip is awaited.
      const first = await Promise.race([d.confirm('s1'), new Promise<string>((resolve) => setImmediate(() => resolve('waited for I/O')))]);
      expect(first).toBe(true);
      for (let i = 0; i < 500; i++) expect(await d.confirm(IDS[i % IDS.length])).toBe(true);
      await sleep(OWNERSHIP_PROOF_MS);
      // Only the heartbeat (every proof window / 4) went to the server, not one round trip per confirm.
      const heartbeats = (performance.now() - started) / (OWNERSHIP_PROOF_MS / 4);
      expect(pings.mock.calls.length).toBeGreaterThan(0);
      expect(pings.mock.calls.length).toBeLessThanOrEqual(Math.ceil(heartbeats) + 1);
    } finally {
      pings.mockRestore();
      await d.stop();
    }
  }, 30_000);

  it('a lock connection that stops answering proves nothing past the window; it counts again once it answers', async () => {
    const e = replica('E');
    e.start();
    await waitUntil('E owns all five', () => e.ownedIds().length === 5);
    const [backend] = await queryRows<{ pid: number }>(DATABASE_URL, "SELECT pid FROM pg_stat_activity WHERE application_name = 'signal-generator-locks:E'");
    // Freeze the server process of E's lock session (the fault: a session that neither answers nor ends).
    process.kill(backend.pid, 'SIGSTOP');
    let answer: boolean | 'pending' = 'pending';
    try {
      await sleep(OWNERSHIP_PROOF_MS + 100);
      void e.confirm('s1').then((ok) => (answer = ok));
      await sleep(500);
      expect(answer).toBe('pending');
    } finally {
      process.kill(backend.pid, 'SIGCONT');
    }
    await waitUntil('the round trip answered', () => answer !== 'pending', 5_000);
    expect(answer).toBe(true);
    expect(await e.confirm('s2')).toBe(true);
    await e.stop();
  }, 30_000);
});
