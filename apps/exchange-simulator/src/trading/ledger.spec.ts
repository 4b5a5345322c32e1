import { Fill } from './fill-model';
import { Ledger, unrealizedPnl, unrealizedPnlPct } from './ledger';

const fill = (price: number, quantity: number, feeRate = 0.001): Fill => ({ price, quantity, notional: price * quantity, fee: price * quantity * feeRate });

describe('Ledger', () => {
  it('a buy spends notional + fee of the quote coin and opens a position at the fill price', () => {
    const l = new Ledger({ USDT: 1000 });
    const r = l.apply('BTCUSDT', 's1', 'buy', fill(100, 2), 5_000);
    expect(l.balance('USDT')).toBeCloseTo(1000 - 200 - 0.2, 10);
    expect(l.balance('BTC')).toBe(2);
    expect(r.position).toMatchObject({ size: 2, averageEntryPrice: 100, openedAt: 5_000, closedAt: null, realizedPnl: 0 });
    expect(r.realizedPnl).toBeNull();
    expect(r.balances).toEqual([
      { coin: 'USDT', balance: l.balance('USDT') },
      { coin: 'BTC', balance: 2 },
    ]);
  });

  it('averages the entry price over buys (size-weighted), keeping the first open time', () => {
    const l = new Ledger({ USDT: 10_000 });
    l.apply('ETHUSDT', 's1', 'buy', fill(100, 1), 1);
    const r = l.apply('ETHUSDT', 's1', 'buy', fill(130, 2), 2);
    expect(r.position.size).toBe(3);
    expect(r.position.averageEntryPrice).toBeCloseTo((100 + 260) / 3, 10);
    expect(r.position.openedAt).toBe(1);
  });

  it('a partial sell realises PnL net of its fee and its share of the buy fees', () => {
    const l = new Ledger({ USDT: 10_000 });
    l.apply('BTCUSDT', 's1', 'buy', fill(100, 4), 1); // buy fee 0.4
    const r = l.apply('BTCUSDT', 's1', 'sell', fill(110, 1), 2); // sell fee 0.11
    // gross (110 - 100) × 1 = 10; minus 1/4 of the buy fee (0.1) and the sell fee (0.11).
    expect(r.realizedPnl).toBeCloseTo(10 - 0.1 - 0.11, 10);
    expect(r.returnPercent).toBeCloseTo(((10 - 0.21) / 100) * 100, 10);
    expect(r.position).toMatchObject({ size: 3, averageEntryPrice: 100, closedAt: null });
    expect(r.position.entryFees).toBeCloseTo(0.3, 10);
    expect(l.balance('USDT')).toBeCloseTo(10_000 - 400.4 + 110 - 0.11, 10);
    expect(l.balance('BTC')).toBe(3);
  });

  it('selling everything closes the position; a losing close has a negative return', () => {
    const l = new Ledger({ USDT: 10_000 });
    l.apply('BTCUSDT', 's1', 'buy', fill(100, 2), 1);
    const r = l.apply('BTCUSDT', 's1', 'sell', fill(95, 2), 9);
    expect(r.realizedPnl).toBeCloseTo(-10 - 0.2 - 0.19, 10);
    expect(r.returnPercent).toBeCloseTo((-10.39 / 200) * 100, 10);
    expect(r.position).toMatchObject({ size: 0, closedAt: 9, entryFees: 0 });
    expect(l.openPositions()).toEqual([]);
    expect(l.balance('BTC')).toBe(0);
  });

  it('a buy after a close opens a new position (new open time, realised PnL from zero)', () => {
    const l = new Ledger({ USDT: 10_000 });
    l.apply('BTCUSDT', 's1', 'buy', fill(100, 1), 1);
    l.apply('BTCUSDT', 's1', 'sell', fill(120, 1), 2);
    const r = l.apply('BTCUSDT', 's1', 'buy', fill(90, 1), 3);
    expect(r.position).toMatchObject({ size: 1, averageEntryPrice: 90, openedAt: 3, closedAt: null, realizedPnl: 0 });
  });

  it('keeps each strategy’s position apart while balances are account-wide', () => {
    const l = new Ledger({ USDT: 10_000 });
    l.apply('BTCUSDT', 'a', 'buy', fill(100, 1), 1);
    l.apply('BTCUSDT', 'b', 'buy', fill(200, 1), 1);
    expect(l.position('BTCUSDT', 'a')?.averageEntryPrice).toBe(100);
    expect(l.position('BTCUSDT', 'b')?.averageEntryPrice).toBe(200);
    expect(l.balance('BTC')).toBe(2);
  });

  describe('checks', () => {
    const l = new Ledger({ USDT: 100.1 });
    it.each([
      ['exactly affordable (fee included)', fill(100, 1, 0.001), true],
      ['a cent short', fill(100.01, 1, 0.001), false],
    ])('buy %s', (_name, f, ok) => {
      const check = l.checkBuy('BTCUSDT', f);
      expect(check.ok).toBe(ok);
      if (!check.ok) expect(check.reason).toMatch(/^insufficient_balance: buy of 1 BTC at 100.01 needs 100.11001 USDT \(fee included\), 100.1 USDT available/);
    });

    it('a sell of nothing held is rejected', () => {
      const m = new Ledger({ USDT: 1000 });
      expect(m.checkSell('BTCUSDT', 's1', 1)).toEqual({ ok: false, reason: 'insufficient_balance: strategy s1 holds no BTC on BTCUSDT to sell (sell of 1 BTC requested)' });
      m.apply('BTCUSDT', 's1', 'buy', fill(100, 2), 1);
      expect(m.checkSell('BTCUSDT', 'other', 0.1).ok).toBe(false);
    });

    it.each([
      ['half the position', 1, 1, false],
      ['just above 1 % left: sold as asked', 1.979, 1.979, false],
      ['exactly 1 % left: the whole position', 1.98, 2, true],
      ['a hair below the position: the whole position', 1.9999, 2, true],
      ['exactly the position', 2, 2, false],
      ['more than held: capped to the position', 2.05, 2, true],
    ])('a sell of %s (%d of 2 held) sells %d', (_name, asked, sold, capped) => {
      const m = new Ledger({ USDT: 1000 });
      m.apply('BTCUSDT', 's1', 'buy', fill(100, 2), 1);
      const check = m.checkSell('BTCUSDT', 's1', asked);
      expect(check).toEqual({ ok: true, quantity: sold, capped });
    });

    it('refuses to book a sell beyond the position', () => {
      const m = new Ledger({ USDT: 1000 });
      m.apply('BTCUSDT', 's1', 'buy', fill(100, 1), 1);
      expect(() => m.apply('BTCUSDT', 's1', 'sell', fill(100, 1.5), 2)).toThrow(RangeError);
    });
  });

  it('reconciles: quote balance = initial − Σ buys (notional + fee) + Σ sells (notional − fee); base = Σ sizes', () => {
    const l = new Ledger({ USDT: 50_000 });
    const trades: Array<['buy' | 'sell', string, number, number]> = [
      ['buy', 'a', 100, 3],
      ['buy', 'b', 101, 2],
      ['sell', 'a', 105, 1],
      ['buy', 'a', 99, 4],
      ['sell', 'b', 98, 2],
      ['sell', 'a', 110, 6],
    ];
    let expectedQuote = 50_000;
    let realized = 0;
    for (const [side, strategy, price, qty] of trades) {
      const f = fill(price, qty);
      const r = l.apply('SOLUSDT', strategy, side, f, 1);
      expectedQuote += side === 'buy' ? -(f.notional + f.fee) : f.notional - f.fee;
      realized += r.realizedPnl ?? 0;
    }
    expect(l.balance('USDT')).toBeCloseTo(expectedQuote, 8);
    expect(l.balance('SOL')).toBe(0);
    // Everything was sold: realised PnL = money out − money in.
    expect(realized).toBeCloseTo(expectedQuote - 50_000, 8);
  });

  it('marks open positions, measures equity, and rolls back to a checkpoint', () => {
    const l = new Ledger({ USDT: 1000 });
    l.apply('BTCUSDT', 's1', 'buy', fill(100, 2, 0), 1);
    const [marked] = l.mark('BTCUSDT', 110);
    expect(marked.currentPrice).toBe(110);
    expect(unrealizedPnl(marked)).toBeCloseTo(20, 10);
    expect(unrealizedPnlPct(marked)).toBeCloseTo(10, 10);
    expect(l.equity('USDT')).toBeCloseTo(800 + 220, 10);
    const cp = l.checkpoint();
    l.apply('BTCUSDT', 's1', 'sell', fill(110, 2, 0), 2);
    l.apply('ETHUSDT', 's1', 'buy', fill(10, 1, 0), 2);
    l.rollback(cp);
    expect(l.position('BTCUSDT', 's1')?.size).toBe(2);
    expect(l.position('ETHUSDT', 's1')).toBeUndefined();
    expect(l.balance('USDT')).toBe(800);
    expect(l.balance('ETH')).toBe(0);
  });

  it('unrealized figures are 0 for a closed position', () => {
    expect(unrealizedPnl({ size: 0, averageEntryPrice: 100, currentPrice: 120 })).toBe(0);
    expect(unrealizedPnlPct({ size: 0, averageEntryPrice: 100, currentPrice: 120 })).toBe(0);
  });
});
