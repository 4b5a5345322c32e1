import {
  ExecutionEventInput,
  ExecutionEventRepository,
  ModelVersionEntity,
  ModelVersionRepository,
  NewModelVersion,
  NewQualityMetric,
  QualityMetricRepository,
  TradingSignalInput,
  TradingSignalRepository,
} from '@model-service/repositories';
import { mkdir } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DataSource } from 'typeorm';

/** Rows for the gateway's tests, written through the real repositories. */
export class Seeder {
  private seq = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly storageDir: string,
  ) {}

  /** A candidate version (files on disk unless files: false); created_at is set so ordering is deterministic. */
  async model(
    version: string,
    strategyId: string,
    opts: { createdAt?: Date; files?: boolean; metrics?: Record<string, unknown> } & Partial<NewModelVersion> = {},
  ): Promise<ModelVersionEntity> {
    const { createdAt, files, ...rest } = opts;
    const repo = new ModelVersionRepository(this.ds);
    await repo.create({
      version,
      strategyId,
      modelType: 'mlp',
      featureSetVersion: 'fs-1',
      filePath: join(this.storageDir, version),
      checksum: 'sha256:abc',
      metrics: { accuracy: 0.8 },
      ...rest,
    });
    const at = createdAt ?? new Date(Date.UTC(2026, 0, 1) + this.seq++ * 60_000);
    await this.ds.query('UPDATE model_versions SET created_at = $1 WHERE version = $2', [at, version]);
    if (files !== false) await mkdir(join(this.storageDir, version), { recursive: true });
    return repo.getOrThrow(version);
  }

  async activate(version: string, strategyId: string): Promise<void> {
    await new ModelVersionRepository(this.ds).activate(version, strategyId);
  }

  async metrics(rows: NewQualityMetric[]): Promise<void> {
    await new QualityMetricRepository(this.ds).insertMany(rows);
  }

  async signal(overrides: Partial<TradingSignalInput> = {}): Promise<TradingSignalInput> {
    const s: TradingSignalInput = {
      signal_id: randomUUID(),
      signal_type: 'buy',
      asset: 'BTCUSDT',
      amount: 100,
      confidence: 0.6,
      timestamp: new Date(),
      strategy_id: 'momentum-btc',
      model_version: null,
      is_warmup: true,
      market_data_snapshot: { price: 65000, spread: 0.5, volume_24h: 1000, volatility: 0.01 },
      metadata: { reason: 'momentum' },
      trace_id: randomUUID(),
      ...overrides,
    };
    await new TradingSignalRepository(this.ds).insert(s);
    return s;
  }

  async execution(overrides: Partial<ExecutionEventInput> & { realized_pnl?: number | null } = {}): Promise<void> {
    const { realized_pnl, ...rest } = overrides;
    const e: ExecutionEventInput = {
      event_id: randomUUID(),
      order_id: randomUUID(),
      signal_id: null,
      strategy_id: 'momentum-btc',
      asset: 'BTCUSDT',
      side: 'sell',
      execution_price: 65000,
      execution_quantity: 0.01,
      execution_fees: 0.1,
      executed_at: new Date(),
      performance: realized_pnl === undefined ? {} : { realized_pnl },
      ...rest,
    };
    await new ExecutionEventRepository(this.ds).insertBatch([e]);
  }
}
