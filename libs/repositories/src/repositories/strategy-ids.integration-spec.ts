import { createTestDataSource, TestDataSource } from '../testing';
import { ExecutionEventRepository } from './execution-event.repository';
import { ModelVersionRepository } from './model-version.repository';

describe('strategyIds of executions and model versions', () => {
  let t: TestDataSource;

  beforeAll(async () => {
    t = await createTestDataSource({ prefix: 'strategy_ids' });
  });
  afterAll(() => t?.drop());

  it('lists each strategy once, sorted by code unit, and nothing for empty tables', async () => {
    const executions = new ExecutionEventRepository(t.dataSource);
    const versions = new ModelVersionRepository(t.dataSource);
    expect(await executions.strategyIds()).toEqual([]);
    expect(await versions.strategyIds()).toEqual([]);

    const fill = (eventId: string, strategyId: string) => ({
      event_id: eventId,
      order_id: `order-${eventId}`,
      strategy_id: strategyId,
      asset: 'BTCUSDT',
      side: 'Buy',
      execution_price: 50_000,
      execution_quantity: 0.001,
      execution_fees: 0.05,
      executed_at: new Date('2026-01-05T00:00:00Z'),
    });
    await executions.insertBatch([fill('e1', 'momentum'), fill('e2', 'Zeta'), fill('e3', 'momentum'), fill('e4', 'alpha')]);
    expect(await executions.strategyIds()).toEqual(['Zeta', 'alpha', 'momentum']);

    for (const [version, strategyId] of [
      ['v1', 'mean_reversion'],
      ['v2', 'mean_reversion'],
      ['v3', 'breakout'],
    ]) {
      await versions.create({
        version,
        strategyId,
        modelType: 'mlp',
        featureSetVersion: 'fs-1',
        filePath: `/models/${version}`,
        checksum: 'sha256:abc',
        trainingConfig: {},
        metrics: {},
        trainingDatasetSize: 1,
        trainingDurationSeconds: 1,
      });
    }
    expect(await versions.strategyIds()).toEqual(['breakout', 'mean_reversion']);
  });
});
