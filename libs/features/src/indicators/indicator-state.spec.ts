import { IndicatorState } from './indicator-state';
import { Candle, INDICATOR_DEFAULTS, TechnicalIndicators } from './technical-indicators';

const MIN = 60_000;
const candle = (i: number, close: number, high: number, low: number, volume: number): Candle => ({
  open: close,
  high,
  low,
  close,
  volume,
  start: i * MIN,
});

// Small periods so every number below can be worked out by hand.
const SMALL = { window: 16, rsiPeriod: 3, emaFast: 2, emaSlow: 3, atrPeriod: 3, bbPeriod: 4, volumePeriod: 4 };
//          close  high  low   volume
const SERIES: Candle[] = [
  candle(1, 10, 11, 9, 100),
  candle(2, 11, 12, 10, 200),
  candle(3, 10.5, 11.5, 10, 100),
  candle(4, 12, 12.5, 10.5, 400),
  candle(5, 11, 12, 10.5, 200),
];

function after(n: number, opts: object = SMALL): TechnicalIndicators {
  const s = new IndicatorState(opts);
  SERIES.slice(0, n).forEach((c) => s.update(c));
  return s.snapshot();
}

describe('IndicatorState — hand-computed values (periods: rsi 3, ema 2/3, atr 3, bb 4, volume 4)', () => {
  // closes 10, 11, 10.5, 12, 11; changes +1, -0.5, +1.5, -1
  // true ranges (from candle 2): max(12-10, |12-10|, |10-10|) = 2; max(1.5, 0.5, 1) = 1.5;
  //                              max(2, |12.5-10.5|, 0) = 2;      max(1.5, 0, |10.5-12|) = 1.5
  it.each<[string, number, keyof TechnicalIndicators, number | null]>([
    // EMA(2): seed (10+11)/2 = 10.5; c3: 10.5 + 2/3·(10.5-10.5) = 10.5; c4: 10.5 + 2/3·1.5 = 11.5;
    //         c5: 11.5 + 2/3·(11-11.5) = 67/6
    // EMA(3): seed (10+11+10.5)/3 = 10.5; c4: 10.5 + 0.5·1.5 = 11.25; c5: 11.25 + 0.5·(-0.25) = 11.125
    ['ema_ratio needs the slow EMA seeded', 2, 'ema_ratio', null],
    ['ema_ratio at seed: 10.5/10.5 - 1', 3, 'ema_ratio', 0],
    ['ema_ratio c4: 11.5/11.25 - 1 = 1/45', 4, 'ema_ratio', 1 / 45],
    ['ema_ratio c5: (67/6)/11.125 - 1 = 1/267', 5, 'ema_ratio', 1 / 267],
    // RSI(3): seed after 3 changes (c4): avgGain (1+0+1.5)/3 = 5/6, avgLoss 0.5/3 = 1/6, RS 5 → 100 - 100/6
    //         c5: avgGain (5/6·2 + 0)/3 = 5/9, avgLoss (1/6·2 + 1)/3 = 4/9, RS 1.25 → 100 - 100/2.25 = 500/9
    ['rsi null with 2 changes', 3, 'rsi_14', null],
    ['rsi seed = 250/3', 4, 'rsi_14', 250 / 3],
    ['rsi Wilder step = 500/9', 5, 'rsi_14', 500 / 9],
    // ATR(3): seed (2 + 1.5 + 2)/3 = 11/6 at c4; c5: (11/6·2 + 1.5)/3 = 31/18
    ['atr null with 2 true ranges', 3, 'atr_14', null],
    ['atr seed = 11/6', 4, 'atr_14', 11 / 6],
    ['atr Wilder step = 31/18', 5, 'atr_14', 31 / 18],
    ['atr_pct c4 = (11/6)/12·100', 4, 'atr_pct', 1100 / 72],
    ['atr_pct c5 = (31/18)/11·100', 5, 'atr_pct', 3100 / 198],
    // Bollinger(4, 2σ) c4: closes 10, 11, 10.5, 12: mean 10.875, squared deviations
    //   0.765625 + 0.015625 + 0.140625 + 1.265625 = 2.1875 → σ² = 0.546875;
    //   %b = 0.5 + (12 - 10.875)/(4σ) = 0.5 + 1.125/(4·0.7395099728874521) = 0.88031929...
    // c5: closes 11, 10.5, 12, 11: mean 11.125, squared deviations sum 1.1875 → σ² = 0.296875;
    //   %b = 0.5 + (11 - 11.125)/(4σ) = 0.5 - 0.125/(4·0.5448623679425842) = 0.44264607...
    ['bollinger null with 3 closes', 3, 'bollinger_pctb', null],
    ['bollinger c4', 4, 'bollinger_pctb', 0.5 + 1.125 / (4 * Math.sqrt(0.546875))],
    ['bollinger c5', 5, 'bollinger_pctb', 0.5 - 0.125 / (4 * Math.sqrt(0.296875))],
    // Volume z(4) c4: 100, 200, 100, 400: mean 200, σ² = (1e4 + 0 + 1e4 + 4e4)/4 = 15000 → z = 200/√15000 = 4/√6
    // c5: 200, 100, 400, 200: mean 225, σ² = (625 + 15625 + 30625 + 625)/4 = 11875 → z = -25/√11875
    ['volume z null with 3 volumes', 3, 'volume_zscore', null],
    ['volume z c4 = 4/√6', 4, 'volume_zscore', 4 / Math.sqrt(6)],
    ['volume z c5 = -25/√11875', 5, 'volume_zscore', -25 / Math.sqrt(11875)],
    // Volatility: sample σ of log returns. c3: ln(1.1) = 0.0953102, ln(10.5/11) = -0.0465200; for two
    // values the sample σ is |a - b|/√2 = 0.1418302/1.4142136 = 0.1002891
    ['volatility null with 1 return', 2, 'volatility', null],
    ['volatility c3 = |ln 1.1 - ln(10.5/11)|/√2', 3, 'volatility', Math.abs(Math.log(1.1) - Math.log(10.5 / 11)) / Math.SQRT2],
    ['return_1 null with 1 candle', 1, 'return_1', null],
    ['return_1 c5 = ln(11/12)', 5, 'return_1', Math.log(11 / 12)],
    ['return_5 null with 5 candles', 5, 'return_5', null],
    ['candles counts the window', 5, 'candles', 5],
  ])('%s', (_name, n, key, expected) => {
    const value = after(n)[key];
    if (expected === null) expect(value).toBeNull();
    else expect(value).toBeCloseTo(expected, 10);
  });

  it('spot checks against the decimal values worked out above', () => {
    expect(after(4).bollinger_pctb).toBeCloseTo(0.880319, 6);
    expect(after(5).bollinger_pctb).toBeCloseTo(0.442646, 6);
    expect(after(3).volatility).toBeCloseTo(0.1002891, 7);
    expect(after(5).rsi_14).toBeCloseTo(55.5556, 4);
  });
});

describe('IndicatorState — horizons, readiness and degenerate markets (default periods)', () => {
  it('returns over 1, 5 and 15 candles are log returns; constant growth has zero volatility', () => {
    const s = new IndicatorState();
    for (let i = 0; i < 16; i++) {
      const close = 100 * 1.01 ** i;
      s.update({ open: close, high: close, low: close, close, volume: 1, start: i * MIN });
    }
    const snap = s.snapshot();
    expect(snap.return_1).toBeCloseTo(Math.log(1.01), 12);
    expect(snap.return_5).toBeCloseTo(5 * Math.log(1.01), 12);
    expect(snap.return_15).toBeCloseTo(15 * Math.log(1.01), 12);
    expect(snap.volatility).toBeCloseTo(0, 12);
  });

  // First non-null value after n candles: return_h h+1, RSI/ATR period+1, EMA ratio emaSlow,
  // Bollinger/volume period, volatility 3 (two returns).
  it.each<[keyof TechnicalIndicators, number]>([
    ['return_1', 2],
    ['return_5', 6],
    ['return_15', 16],
    ['rsi_14', INDICATOR_DEFAULTS.rsiPeriod + 1],
    ['atr_14', INDICATOR_DEFAULTS.atrPeriod + 1],
    ['atr_pct', INDICATOR_DEFAULTS.atrPeriod + 1],
    ['ema_ratio', INDICATOR_DEFAULTS.emaSlow],
    ['bollinger_pctb', INDICATOR_DEFAULTS.bbPeriod],
    ['volume_zscore', INDICATOR_DEFAULTS.volumePeriod],
    ['volatility', 3],
  ])('%s is null after %i - 1 candles and a number after %i', (key, first) => {
    const s = new IndicatorState();
    for (let i = 0; i < first; i++) {
      expect(s.snapshot()[key]).toBeNull();
      const close = 100 + (i % 3);
      s.update({ open: close, high: close + 1, low: close - 1, close, volume: 10 + i, start: i * MIN });
    }
    expect(typeof s.snapshot()[key]).toBe('number');
  });

  it('a flat market: RSI 50, %b 0.5, volume z 0, volatility 0, ATR from the range', () => {
    const s = new IndicatorState();
    for (let i = 0; i < 60; i++) s.update({ open: 50, high: 51, low: 49, close: 50, volume: 0, start: i * MIN });
    expect(s.snapshot()).toEqual({
      return_1: 0,
      return_5: 0,
      return_15: 0,
      rsi_14: 50,
      ema_ratio: 0,
      atr_14: 2,
      atr_pct: 4,
      bollinger_pctb: 0.5,
      volume_zscore: 0,
      volatility: 0,
      candles: 50,
    });
  });

  it('only gains → RSI 100', () => {
    const s = new IndicatorState();
    for (let i = 0; i < 20; i++) s.update({ open: 1, high: 2 + i, low: 1, close: 1 + i, volume: 1, start: i });
    expect(s.snapshot().rsi_14).toBe(100);
  });
});

describe('IndicatorState — feeding rules', () => {
  it('an update with the same start replaces the open candle; the final version wins', () => {
    const fedTwice = new IndicatorState(SMALL);
    const fedOnce = new IndicatorState(SMALL);
    for (const c of SERIES.slice(0, 4)) {
      fedTwice.update(c);
      fedOnce.update(c);
    }
    const last = SERIES[4];
    expect(fedTwice.update({ ...last, close: 13, high: 14, volume: 900 })).toBe('appended');
    expect(fedTwice.update({ ...last, close: 9, low: 8.5, volume: 1 })).toBe('replaced');
    expect(fedTwice.update(last)).toBe('replaced');
    expect(fedOnce.update(last)).toBe('appended');
    expect(fedTwice.snapshot()).toEqual(fedOnce.snapshot());
    expect(fedTwice.snapshot().candles).toBe(5);
  });

  it('replacing the very first candle works', () => {
    const s = new IndicatorState(SMALL);
    s.update({ ...SERIES[0], close: 99 });
    expect(s.update(SERIES[0])).toBe('replaced');
    SERIES.slice(1).forEach((c) => s.update(c));
    expect(s.snapshot()).toEqual(after(5));
  });

  it('an older candle is ignored and changes nothing', () => {
    const s = new IndicatorState(SMALL);
    SERIES.forEach((c) => s.update(c));
    const before = s.snapshot();
    expect(s.update({ ...SERIES[2], close: 1000 })).toBe('ignored');
    expect(s.snapshot()).toEqual(before);
    expect(s.lastStart).toBe(SERIES[4].start);
    expect(s.lastClose).toBe(11);
  });

  it.each<[string, Partial<Candle>]>([
    ['close 0', { close: 0 }],
    ['negative close', { close: -1 }],
    ['NaN high', { high: Number.NaN }],
    ['infinite volume', { volume: Number.POSITIVE_INFINITY }],
    ['negative volume', { volume: -1 }],
    ['high below low', { high: 9, low: 10 }],
    ['string close', { close: '10' as unknown as number }],
  ])('rejects a candle with %s and keeps its state', (_name, patch) => {
    const s = new IndicatorState(SMALL);
    SERIES.forEach((c) => s.update(c));
    const before = s.snapshot();
    expect(() => s.update({ ...candle(6, 10, 11, 9, 1), ...patch })).toThrow(RangeError);
    expect(s.snapshot()).toEqual(before);
  });

  it.each<[string, object]>([
    ['window below 16', { window: 15 }],
    ['fractional rsiPeriod', { rsiPeriod: 2.5 }],
    ['emaFast ≥ emaSlow', { emaFast: 26, emaSlow: 26 }],
    ['bbPeriod above window', { window: 16, bbPeriod: 17 }],
    ['bbStdDevs 0', { bbStdDevs: 0 }],
  ])('rejects options: %s', (_name, opts) => {
    expect(() => new IndicatorState(opts)).toThrow(RangeError);
  });
});
