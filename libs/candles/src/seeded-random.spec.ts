import { assetSeed, SeededRandom } from './seeded-random';

describe('SeededRandom', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = new SeededRandom(7);
    const b = new SeededRandom(7);
    const c = new SeededRandom(8);
    const seqA = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(seqA);
  });

  it('draws uniforms in [0, 1) and standard normals with mean ~0 and sd ~1', () => {
    const r = new SeededRandom(123);
    const u = Array.from({ length: 20_000 }, () => r.next());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    const n = Array.from({ length: 20_000 }, () => r.normal());
    const mean = n.reduce((s, x) => s + x, 0) / n.length;
    const sd = Math.sqrt(n.reduce((s, x) => s + (x - mean) ** 2, 0) / n.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
  });

  it('derives different, stable seeds per asset', () => {
    expect(assetSeed(42, 'BTCUSDT')).toBe(assetSeed(42, 'BTCUSDT'));
    expect(assetSeed(42, 'BTCUSDT')).not.toBe(assetSeed(42, 'ETHUSDT'));
    expect(assetSeed(42, 'BTCUSDT')).not.toBe(assetSeed(43, 'BTCUSDT'));
  });
});
