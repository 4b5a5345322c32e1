import { useTestSchema } from '../testing';
import { RecordNotFoundError } from '../errors';
import { ModelVersionRepository } from './model-version.repository';
import { QualityMetricRepository } from './quality-metric.repository';
import { TrainingRunRepository } from './training-run.repository';

describe('QualityMetricRepository and TrainingRunRepository', () => {
  const t = useTestSchema({}, async (dataSource) => {
    const mv = await new ModelVersionRepository(dataSource).create({
      version: 'qm-1',
      strategyId: 'qm',
      modelType: 'logreg',
      featureSetVersion: 'fs-1',
      filePath: '/m/qm-1',
      checksum: 'x',
    });
    return { metrics: new QualityMetricRepository(dataSource), runs: new TrainingRunRepository(dataSource), versionId: mv.id };
  });

  it('stores metrics and aggregates them per bucket in SQL', async () => {
    const h = (hour: number, minute = 0) => new Date(Date.UTC(2026, 3, 1, hour, minute));
    const m = (name: string, value: number, at: Date, type = 'live') => ({
      modelVersionId: t.versionId,
      strategyId: 'qm',
      metricName: name,
      metricValue: value,
      metricType: type,
      evaluatedAt: at,
      datasetSize: 500,
    });
    expect(
      await t.metrics.insertMany([
        m('accuracy', 0.8, h(9, 10)),
        m('accuracy', 0.7, h(9, 50)),
        m('accuracy', 0.9, h(11, 0)),
        m('f1', 0.6, h(9, 20)),
        m('accuracy', 0.1, h(12, 0)), // outside the window
        m('accuracy', 0.76, h(8, 0), 'classification'),
      ]),
    ).toBe(6);

    const series = await t.metrics.timeSeries(t.versionId, { granularity: 'hour', start: h(9), end: h(12) });
    expect(series).toEqual([
      { bucket: h(9), metricName: 'accuracy', avg: 0.75, min: 0.7, max: 0.8, last: 0.7, count: 2 },
      { bucket: h(9), metricName: 'f1', avg: 0.6, min: 0.6, max: 0.6, last: 0.6, count: 1 },
      { bucket: h(11), metricName: 'accuracy', avg: 0.9, min: 0.9, max: 0.9, last: 0.9, count: 1 },
    ]);
    const daily = await t.metrics.timeSeries(t.versionId, {
      granularity: 'day',
      start: h(0),
      end: h(23),
      metricNames: ['f1'],
    });
    expect(daily).toEqual([{ bucket: h(0), metricName: 'f1', avg: 0.6, min: 0.6, max: 0.6, last: 0.6, count: 1 }]);

    expect((await t.metrics.forVersion(t.versionId, { metricType: 'classification' })).map((x) => x.metricValue)).toEqual([
      0.76,
    ]);
    const latest = await t.metrics.latestForVersion(t.versionId);
    expect(latest.map((x) => [x.metricType, x.metricName, x.metricValue])).toEqual([
      ['classification', 'accuracy', 0.76],
      ['live', 'accuracy', 0.1],
      ['live', 'f1', 0.6],
    ]);
  });

  it('tracks a training run from queued to a final state', async () => {
    const run = await t.runs.create({ strategyId: 'tr', trigger: 'manual', config: { epochs: 5 }, traceId: 't-1' });
    expect(run).toMatchObject({ status: 'queued', trigger: 'manual', config: { epochs: 5 }, startedAt: null });
    expect((await t.runs.running('tr')).map((r) => r.id)).toEqual([run.id]);

    await t.runs.start(run.id);
    const progressed = await t.runs.update(run.id, {
      progress: { epoch: 3, epochs: 5, loss: 0.4, val_loss: 0.5, val_accuracy: 0.7, eta_seconds: 4 },
      datasetSize: 1500,
    });
    expect(progressed).toMatchObject({ status: 'running', datasetSize: 1500, progress: { epoch: 3, val_accuracy: 0.7 } });

    const done = await t.runs.finish(run.id, 'succeeded', { modelVersion: 'qm-2' });
    expect(done.status).toBe('succeeded');
    expect(done.finishedAt).toBeInstanceOf(Date);
    expect(await t.runs.running('tr')).toEqual([]);
    expect((await t.runs.lastFinished('tr'))?.id).toBe(run.id);

    const skipped = await t.runs.create({ strategyId: 'tr', trigger: 'data_threshold', status: 'skipped', error: 'only 12 rows' });
    expect(skipped.finishedAt).toBeInstanceOf(Date);
    expect((await t.runs.latest('tr'))?.id).toBe(skipped.id);
    expect((await t.runs.list({ strategyId: 'tr', status: 'succeeded' })).items.map((r) => r.id)).toEqual([run.id]);
    await expect(t.runs.update('00000000-0000-0000-0000-000000000000', { status: 'failed' })).rejects.toBeInstanceOf(
      RecordNotFoundError,
    );
  });

  it('failUnfinished closes runs a dead process left behind', async () => {
    const a = await t.runs.create({ strategyId: 'crash', trigger: 'schedule' });
    await t.runs.start(a.id);
    await t.runs.create({ strategyId: 'crash', trigger: 'online' });
    expect(await t.runs.failUnfinished('trainer restarted', 'crash')).toBe(2);
    expect((await t.runs.getOrThrow(a.id))).toMatchObject({ status: 'failed', error: 'trainer restarted' });
  });
});
