import { randomInt } from 'node:crypto';

import { createTestDataSource, TestDataSource } from '../testing';
import { AdvisoryLockKey, AdvisoryLockSession } from './advisory-lock-session';

describe('AdvisoryLockSession', () => {
  let t: TestDataSource;
  const sessions: AdvisoryLockSession[] = [];
  const lost: Array<{ session: AdvisoryLockSession; error: Error }> = [];
  // Advisory locks are database-wide: random keys keep concurrent runs apart.
  const key = (): AdvisoryLockKey => [randomInt(1, 2 ** 31 - 1), randomInt(1, 2 ** 31 - 1)];

  const open = async (name: string) => {
    const session = await AdvisoryLockSession.open({
      url: t.url,
      applicationName: `lock-spec-${name}-${t.schema}`,
      queryTimeoutMs: 5_000,
      onLost: (s, error) => lost.push({ session: s, error }),
    });
    sessions.push(session);
    return session;
  };

  beforeAll(async () => {
    t = await createTestDataSource({ prefix: 'locks', migrate: false });
  });
  afterAll(async () => {
    for (const s of sessions) await s.close();
    await t?.drop();
  });

  it('an exclusive lock is held by one session until it unlocks or its connection closes', async () => {
    const [a, b] = [await open('a'), await open('b')];
    const k = key();
    expect(await a.tryLock(k)).toBe(true);
    expect(await b.tryLock(k)).toBe(false);
    expect(await a.countHolders(k)).toBe(1);
    expect(await a.unlock(k)).toBe(true);
    expect(await b.unlock(k)).toBe(false);
    expect(await b.tryLock(k)).toBe(true);
    await b.close();
    expect(await a.tryLock(k)).toBe(true);
    expect(lost).toEqual([]);
  });

  it('shared holders are counted, and block an exclusive lock', async () => {
    const [a, b, c] = [await open('a'), await open('b'), await open('c')];
    const k = key();
    expect(await a.tryLockShared(k)).toBe(true);
    expect(await b.tryLockShared(k)).toBe(true);
    expect(await c.countHolders(k)).toBe(2);
    expect(await c.tryLock(k)).toBe(false);
  });

  it('a connection killed by the server reports the session lost once, and its locks are free again', async () => {
    const [a, b] = [await open('victim'), await open('survivor')];
    const k = key();
    expect(await a.tryLock(k)).toBe(true);
    await t.dataSource.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [`lock-spec-victim-${t.schema}`]);
    const deadline = Date.now() + 5_000;
    while (!lost.some((l) => l.session === a) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(lost.filter((l) => l.session === a)).toHaveLength(1);
    await expect(a.ping()).rejects.toThrow();
    expect(await b.tryLock(k)).toBe(true);
  });
});
