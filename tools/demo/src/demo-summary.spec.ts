import { databaseLine, DemoSnapshot, renderSnapshot, stagesOf } from './demo-summary';

const empty: DemoSnapshot = {
  signals: [],
  exits: [],
  orders: {},
  executionsStored: 0,
  training: { byStatus: {}, latest: [] },
  models: [],
  pnl: { quote: null, openPositions: 0, positionValue: 0, unrealized: 0, realized: 0 },
  sells: { orders: 0, rejectedNoPosition: 0 },
  learning: [],
};

const busy: DemoSnapshot = {
  signals: [
    { strategy: 'momentum_v1', mode: 'warm-up', count: 40 },
    { strategy: 'momentum_v1', mode: 'exit', count: 9 },
  ],
  exits: [
    { reason: 'stop_loss', count: 4 },
    { reason: 'take_profit', count: 3 },
    { reason: 'trailing_stop', count: 2 },
  ],
  orders: { filled: 45, rejected: 4 },
  executionsStored: 45,
  training: {
    byStatus: { succeeded: 1, running: 1 },
    latest: [{ strategy: 'momentum_v1', trigger: 'data_threshold', status: 'running', progress: { epoch: 3, epochs: 40, val_accuracy: 0.71 }, datasetSize: 150, error: null }],
  },
  models: [{ strategy: 'momentum_v1', version: 'momentum_v1-1', status: 'active', active: true, accuracy: 0.8, liveAccuracy: 0.77 }],
  pnl: { quote: 99_000, openPositions: 2, positionValue: 1_200, unrealized: 12.5, realized: 187.5 },
  sells: { orders: 20, rejectedNoPosition: 1 },
  learning: [
    {
      strategy: 'momentum_v1',
      model: { n: 150, winRate: 0.6, winRateLow: 0.52, winRateHigh: 0.675, meanReturn: 0.001, meanReturnLow: 0.0002, meanReturnHigh: 0.0018 },
      warmup: { n: 300, winRate: 0.45, winRateLow: 0.39, winRateHigh: 0.51, meanReturn: -0.0005, meanReturnLow: -0.001, meanReturnHigh: 0 },
    },
  ],
};

describe('stagesOf', () => {
  it('nothing happened yet: every stage open, model mode shown as pending', () => {
    const stages = stagesOf(empty, 'no model mode yet');
    expect(stages.map((s) => [s.name, s.done, s.pending ?? null])).toEqual([
      ['warm-up signals', false, null],
      ['training run', false, null],
      ['promoted model', false, null],
      ['model-mode signals', false, 'no model mode yet'],
      ['exits of 3+ rules', false, null],
    ]);
  });

  it('counts a stage once it happened; three exit rules are needed, two are not enough', () => {
    expect(stagesOf(busy, 'no model mode yet').map((s) => s.done)).toEqual([true, true, true, false, true]);
    const two = { ...busy, exits: busy.exits.slice(0, 2) };
    expect(stagesOf(two, null)[4].done).toBe(false);
    expect(stagesOf(busy, null)[3].pending).toBeUndefined();
    const withModel = { ...busy, signals: [...busy.signals, { strategy: 'momentum_v1', mode: 'model' as const, count: 1 }] };
    expect(stagesOf(withModel, 'no model mode yet')[3].done).toBe(true);
    expect(stagesOf(withModel, 'no model mode yet')[3]).not.toHaveProperty('pending');
  });
});

describe('renderSnapshot: learning and SELL rejections', () => {
  it('compares model-mode with warm-up decisions per strategy, with intervals, and shows the no-position SELL rejections', () => {
    const text = renderSnapshot(busy, { elapsedSeconds: 1, remainingSeconds: null, apps: [], market: null, initialQuote: 100_000, modelModePending: null });
    expect(text).toContain('SELLs rejected for no position: 1 of 20, 5.0 %');
    expect(text).toContain(
      'momentum_v1: model n 150, win rate 60.00 % [52.00 %, 67.50 %], mean net return 0.100 % [0.020 %, 0.180 %] | warm-up n 300, win rate 45.00 % [39.00 %, 51.00 %], mean net return -0.050 % [-0.100 %, 0.000 %]',
    );
  });
});

describe('renderSnapshot', () => {
  it('shows signals by strategy and mode, executions, training progress, the active model, exits and PnL', () => {
    const text = renderSnapshot(busy, {
      elapsedSeconds: 75,
      remainingSeconds: 225,
      apps: [{ name: 'trainer', status: 'ok' }],
      market: { simulatedTime: '2031-01-02T03:04:05.000Z', prices: { BTCUSDT: 60_123.456 } },
      initialQuote: 100_000,
      modelModePending: 'no model mode yet',
    });
    expect(text).toContain('01:15 elapsed (stops in 03:45)');
    expect(text).toContain('simulated 2031-01-02 03:04  BTCUSDT 60,123.46');
    expect(text).toContain('momentum_v1: warm-up 40, exit 9');
    expect(text).toContain('filled 45, rejected 4 (SELLs rejected for no position: 1 of 20, 5.0 %), pending 0 — executions stored by the trainer: 45');
    expect(text).toContain('momentum_v1: epoch 3/40, val acc 0.710');
    expect(text).toContain('momentum_v1-1 ACTIVE accuracy 0.800 (live 0.770)');
    expect(text).toContain('stop_loss 4, take_profit 3, trailing_stop 2');
    expect(text).toContain('equity 100,200.00 USDT (+200.00): realized +187.50, unrealized +12.50, 2 open position(s)');
    expect(text).toContain('[~] model-mode signals (pending: no model mode yet)');
  });
});

describe('databaseLine: what the summary says about PostgreSQL', () => {
  const start = Date.UTC(2031, 0, 1);
  const up = { reachable: true, unreachableSince: null, readAt: start + 60_000, error: null, queryFailed: false, lastOutageMs: null };

  it.each([
    ['reachable, never lost', up, start + 61_000, 'ok'],
    ['reachable again after an outage', { ...up, lastOutageMs: 31_400 }, start + 95_000, 'ok (back after an outage of 31 s)'],
    [
      'unreachable: how long, why, and how old the figures shown are',
      { reachable: false, unreachableSince: start + 62_000, readAt: start + 60_000, error: 'connect ECONNREFUSED 127.0.0.1:5432', queryFailed: false, lastOutageMs: null },
      start + 92_000,
      'UNREACHABLE for 30 s (connect ECONNREFUSED 127.0.0.1:5432); figures below as read at 01:00, retrying',
    ],
    [
      'unreachable from the start: no figures yet',
      { reachable: false, unreachableSince: start, readAt: null, error: 'read ECONNRESET', queryFailed: false, lastOutageMs: null },
      start + 5_000,
      'UNREACHABLE for 5 s (read ECONNRESET); no figures read yet, retrying',
    ],
    [
      'a query the server refused is said as such (a bug, not an outage)',
      { reachable: false, unreachableSince: start + 62_000, readAt: start + 60_000, error: 'column "x" does not exist', queryFailed: true, lastOutageMs: null },
      start + 65_000,
      'QUERY FAILED for 3 s (column "x" does not exist); figures below as read at 01:00, retrying',
    ],
  ])('%s', (_name, state, now, line) => {
    expect(databaseLine(state, start, now)).toBe(line);
  });

  it('renders the last figures under an unreachable database, and no zeros when nothing was read yet', () => {
    const down = { reachable: false, unreachableSince: start + 62_000, readAt: start + 60_000, error: 'read ECONNRESET', queryFailed: false, lastOutageMs: null };
    const ctx = { elapsedSeconds: 70, remainingSeconds: null, apps: [], market: null, initialQuote: 100_000, modelModePending: null, database: { state: down, startedAt: start, now: start + 70_000 } };
    const withFigures = renderSnapshot(busy, ctx);
    expect(withFigures).toContain('database  UNREACHABLE for 8 s (read ECONNRESET); figures below as read at 01:00, retrying');
    expect(withFigures).toContain('executions stored by the trainer: 45');
    const nothing = renderSnapshot(null, { ...ctx, database: { ...ctx.database, state: { ...down, readAt: null } } });
    expect(nothing).toContain('no figures read yet');
    expect(nothing).not.toContain('signals');
    expect(nothing).not.toContain('executions stored');
  });
});
