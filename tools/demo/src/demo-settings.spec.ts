import { DEMO_APPS, demoEnvironments, DemoPlan, withUserOverrides } from './demo-settings';

const plan: DemoPlan = {
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/model_service_demo',
  rabbitUrl: 'amqp://guest:guest@127.0.0.1:5672',
  ports: { 'api-gateway': 4700, 'signal-generator': 4701, trainer: 4702, 'exit-strategy': 4703, 'exchange-simulator': 4704 },
  queuePrefix: 'demo.',
  modelDir: '/tmp/models',
  candles: null,
  assets: ['BTCUSDT', 'ETHUSDT'],
  speed: 10,
  apiKey: 'k',
  initialBalanceUsdt: 100_000,
};

describe('demoEnvironments', () => {
  const envs = demoEnvironments(plan);

  it('wires every app to the same database, broker, queue prefix and its own port', () => {
    for (const app of DEMO_APPS) {
      expect(envs[app]).toMatchObject({ DATABASE_URL: plan.databaseUrl, RABBITMQ_URL: plan.rabbitUrl, MODEL_SERVICE_PORT: String(plan.ports[app]) });
    }
    expect(envs['exchange-simulator']['QUEUE_PREFIX']).toBe('demo.');
    expect(envs['signal-generator']['QUEUE_PREFIX']).toBe('demo.');
    expect(envs.trainer['QUEUE_PREFIX']).toBe('demo.');
    expect(envs['exit-strategy']['QUEUE_PREFIX']).toBe('demo.');
  });

  it('points the neighbours’ URLs at the simulator with the same API key it checks', () => {
    expect(envs['exit-strategy']['POSITION_MANAGER_URL']).toBe('http://127.0.0.1:4704');
    expect(envs['signal-generator']['WS_GATEWAY_URL']).toBe('http://127.0.0.1:4704');
    expect(envs['exit-strategy']['POSITION_MANAGER_API_KEY']).toBe(envs['exchange-simulator']['POSITION_MANAGER_API_KEY']);
    expect(envs['signal-generator']['WS_GATEWAY_API_KEY']).toBe(envs['exchange-simulator']['WS_GATEWAY_API_KEY']);
  });

  it('gives the gateway the URL of every app (its dashboard shows their health)', () => {
    expect(envs['api-gateway']).toMatchObject({ SIGNAL_GENERATOR_URL: 'http://127.0.0.1:4701', TRAINER_URL: 'http://127.0.0.1:4702', EXIT_STRATEGY_URL: 'http://127.0.0.1:4703' });
  });

  it('runs warm-up strategies on the simulated assets, judges market-data age by arrival, uses a demo-sized promotion gate', () => {
    const strategies = JSON.parse(envs['signal-generator']['TRADING_STRATEGIES']) as Array<{ assets: string[]; heuristic: string }>;
    expect(strategies.map((s) => s.heuristic)).toEqual(['momentum', 'mean_reversion', 'random']);
    for (const s of strategies) expect(s.assets).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(envs['signal-generator']['MARKET_DATA_AGE_FROM']).toBe('receipt_time');
    // A demo-sized gate, said at start: fewer validation rows and a lower accuracy floor than production's.
    expect(envs.trainer).toMatchObject({ MODEL_PROMOTION_MIN_VALIDATION_ROWS: '60', MODEL_QUALITY_THRESHOLD_ACCURACY: '0.55' });
    expect(Number(envs.trainer['MODEL_TRAINING_MIN_DATASET_SIZE'])).toBeLessThan(Number(envs.trainer['MODEL_TRAINING_DATA_THRESHOLD']));
  });

  it('replays candle files instead of the generator when given, and leaves the prefix out when empty', () => {
    const e = demoEnvironments({ ...plan, candles: 'BTCUSDT=/x.csv', queuePrefix: '' });
    expect(e['exchange-simulator']['SIMULATOR_CANDLES_FILE']).toBe('BTCUSDT=/x.csv');
    expect(e['exchange-simulator']).not.toHaveProperty('SIMULATOR_ASSETS');
    expect(e.trainer).not.toHaveProperty('QUEUE_PREFIX');
  });
});

describe('withUserOverrides', () => {
  it('lets the user’s environment tune settings but never the wiring', () => {
    const out = withUserOverrides(
      { MODEL_TRAINING_MIN_DATASET_SIZE: '100', MODEL_SERVICE_PORT: '4702', DATABASE_URL: 'a' },
      { MODEL_TRAINING_MIN_DATASET_SIZE: '50', MODEL_SERVICE_PORT: '9999', DATABASE_URL: 'b', UNRELATED: 'x' },
    );
    expect(out).toEqual({ MODEL_TRAINING_MIN_DATASET_SIZE: '50', MODEL_SERVICE_PORT: '4702', DATABASE_URL: 'a' });
  });
});
