import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';

import { HealthRegistry, ObservabilityModule } from '@model-service/util';

import { ModelVersionRepository } from './repositories/model-version.repository';
import { OrderRepository } from './repositories/order.repository';
import { RepositoriesModule } from './repositories.module';
import { createTestDataSource, TestDataSource } from './testing';

describe('RepositoriesModule', () => {
  let t: TestDataSource;

  beforeAll(async () => {
    // A migrated schema; the module then connects to it like an app would.
    t = await createTestDataSource();
    await t.dataSource.destroy();
  });
  afterAll(() => t?.drop());

  it('provides the DataSource and repositories, reports database health, and disconnects on shutdown', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ObservabilityModule.forRoot({ service: 'repo-test', controller: false }),
        RepositoriesModule.forRoot({ url: t.url, schema: t.schema, poolSize: 2 }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();

    const versions = app.get(ModelVersionRepository);
    await versions.create({
      version: 'nest-1',
      strategyId: 'nest',
      modelType: 'mlp',
      featureSetVersion: 'fs',
      filePath: '/m',
      checksum: 'c',
    });
    expect((await versions.findByVersion('nest-1'))?.strategyId).toBe('nest');
    expect(await app.get(OrderRepository).hasOpenOrder('BTCUSDT', null)).toBe(false);

    const health = app.get(HealthRegistry);
    const up = await health.report();
    expect(up.checks['database']).toMatchObject({ status: 'up' });
    expect(up.database_connected).toBe(true);

    const ds = app.get(DataSource);
    await app.close();
    expect(ds.isInitialized).toBe(false);
    const down = await health.report();
    expect(down.status).toBe('degraded');
    expect(down.checks['database']).toMatchObject({ status: 'down' });
  });

  it('works without a HealthRegistry in the app', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [RepositoriesModule.forRoot({ url: t.url, schema: t.schema, poolSize: 1 })],
    }).compile();
    const app = await moduleRef.createNestApplication().init();
    expect(await app.get(ModelVersionRepository).getActive('none')).toBeNull();
    await app.close();
  });

  it('gives up with the error after the configured attempts when the server is unreachable', async () => {
    const started = Date.now();
    await expect(
      Test.createTestingModule({
        imports: [RepositoriesModule.forRoot({ url: 'postgres://postgres@127.0.0.1:1/nowhere', connectAttempts: 1 })],
      }).compile(),
    ).rejects.toThrow(/ECONNREFUSED|connect/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
