/** Candle sources of the simulated market: a seeded synthetic market per asset, or a replay of candle CSV files. */
export * from './candle-source';
export * from './csv-candles';
export * from './seeded-random';
export * from './sim-candle';
export * from './synthetic-market';
