import { createTestDataSource, useTestSchema } from '../testing';
import { RecordConflictError, RecordNotFoundError } from '../errors';
import { ModelVersionRepository, NewModelVersion } from './model-version.repository';

const base = (version: string, strategyId = 'momentum'): NewModelVersion => ({
  version,
  strategyId,
  modelType: 'mlp',
  featureSetVersion: 'fs-1',
  filePath: `/models/${version}`,
  checksum: 'sha256:abc',
  trainingConfig: { epochs: 10 },
  metrics: { accuracy: 0.8 },
  trainingDatasetSize: 1200,
  trainingDurationSeconds: 12.5,
});

describe('ModelVersionRepository', () => {
  const t = useTestSchema({}, (dataSource) => ({ repo: new ModelVersionRepository(dataSource) }));

  it('creates candidates with their metadata', async () => {
    const mv = await t.repo.create(base('cand-1', 'create-test'));
    expect(mv).toMatchObject({
      version: 'cand-1',
      status: 'candidate',
      isActive: false,
      trainingConfig: { epochs: 10 },
      metrics: { accuracy: 0.8 },
      trainingDatasetSize: 1200,
      trainingDurationSeconds: 12.5,
      parentVersion: null,
    });
    expect(mv.id).toMatch(/^[0-9a-f-]{36}$/);
    await expect(t.repo.create(base('cand-1', 'create-test'))).rejects.toBeInstanceOf(RecordConflictError);
    expect(mv.createdAt).toBeInstanceOf(Date);
  });

  it('activate() switches the active version atomically and keeps other strategies alone', async () => {
    await t.repo.create(base('a-1', 'switch'));
    await t.repo.create(base('a-2', 'switch'));
    await t.repo.create(base('other-1', 'other'));
    await t.repo.activate('other-1', 'other');

    const first = await t.repo.activate('a-1', 'switch');
    expect(first.previous).toBeNull();
    expect(first.activated).toMatchObject({ version: 'a-1', isActive: true, status: 'active' });
    expect(first.activated.activatedAt).toBeInstanceOf(Date);

    const second = await t.repo.activate('a-2', 'switch');
    expect(second.activated.version).toBe('a-2');
    expect(second.previous).toMatchObject({ version: 'a-1', isActive: false, status: 'retired' });
    expect(second.previous?.deactivatedAt).toBeInstanceOf(Date);
    expect((await t.repo.getActive('switch'))?.version).toBe('a-2');
    expect((await t.repo.getActive('other'))?.version).toBe('other-1');

    // Re-activating the active version is a no-op.
    const again = await t.repo.activate('a-2', 'switch');
    expect(again.previous).toBeNull();
    expect((await t.repo.list({ strategyId: 'switch', isActive: true })).total).toBe(1);
  });

  it('concurrent activations for one strategy never leave two (or zero) active versions', async () => {
    const versions = Array.from({ length: 8 }, (_, i) => `race-${i}`);
    for (const v of versions) await t.repo.create(base(v, 'race'));
    const results = await Promise.allSettled(versions.map((v) => t.repo.activate(v, 'race')));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const active = await t.repo.list({ strategyId: 'race', isActive: true });
    expect(active.total).toBe(1);
    // Each activation retired exactly the one before it: 7 retirements for 8 activations.
    expect((await t.repo.list({ strategyId: 'race', status: 'retired' })).total).toBe(7);
  });

  it('activate() refuses unknown versions, another strategy, and archived versions', async () => {
    await t.repo.create(base('guard-1', 'guard'));
    await expect(t.repo.activate('nope', 'guard')).rejects.toBeInstanceOf(RecordNotFoundError);
    await expect(t.repo.activate('guard-1', 'someone-else')).rejects.toBeInstanceOf(RecordConflictError);
    await t.repo.archive('guard-1');
    await expect(t.repo.activate('guard-1', 'guard')).rejects.toThrow(/archived/);
    expect(await t.repo.getActive('guard')).toBeNull();
  });

  it('previousGood() and rollback() return to the last version that was active, rejecting the bad one', async () => {
    for (const v of ['rb-1', 'rb-2', 'rb-3', 'rb-cand']) await t.repo.create(base(v, 'rb'));
    expect(await t.repo.previousGood('rb')).toBeNull();
    await t.repo.activate('rb-1', 'rb');
    await t.repo.activate('rb-2', 'rb');
    await t.repo.activate('rb-3', 'rb');
    expect((await t.repo.previousGood('rb'))?.version).toBe('rb-2'); // never a mere candidate

    const back = await t.repo.rollback('rb');
    expect(back.activated.version).toBe('rb-2');
    expect(back.previous).toMatchObject({ version: 'rb-3', status: 'rejected', isActive: false });
    // The rejected version is not "good": the next rollback goes to rb-1.
    expect((await t.repo.previousGood('rb'))?.version).toBe('rb-1');
    await t.repo.rollback('rb');
    expect((await t.repo.getActive('rb'))?.version).toBe('rb-1');
    await expect(t.repo.rollback('rb')).rejects.toBeInstanceOf(RecordNotFoundError);
  });

  it('archive() refuses the active version; deactivate() leaves no active version', async () => {
    await t.repo.create(base('arch-1', 'arch'));
    await t.repo.activate('arch-1', 'arch');
    await expect(t.repo.archive('arch-1')).rejects.toBeInstanceOf(RecordConflictError);
    const off = await t.repo.deactivate('arch');
    expect(off).toMatchObject({ version: 'arch-1', isActive: false, status: 'retired' });
    expect(await t.repo.getActive('arch')).toBeNull();
    const archived = await t.repo.archive('arch-1');
    expect(archived.status).toBe('archived');
    expect(archived.archivedAt).toBeInstanceOf(Date);
    expect(await t.repo.countByStrategy('arch')).toBe(0);
    expect(await t.repo.countByStrategy('arch', true)).toBe(1);
  });

  it('rollback() and deactivate() with expectedActive change nothing unless that version is still the active one', async () => {
    for (const v of ['exp-1', 'exp-2', 'exp-3']) await t.repo.create(base(v, 'exp'));
    await t.repo.activate('exp-1', 'exp');
    await t.repo.activate('exp-2', 'exp');
    // A check judged exp-1, but exp-2 was activated meanwhile: exp-2 is left alone.
    await expect(t.repo.rollback('exp', { expectedActive: 'exp-1' })).rejects.toBeInstanceOf(RecordConflictError);
    await expect(t.repo.deactivate('exp', { expectedActive: 'exp-1' })).rejects.toBeInstanceOf(RecordConflictError);
    expect((await t.repo.getActive('exp'))?.version).toBe('exp-2');
    const back = await t.repo.rollback('exp', { expectedActive: 'exp-2' });
    expect(back.activated.version).toBe('exp-1');
    expect(back.previous).toMatchObject({ version: 'exp-2', status: 'rejected' });
    const off = await t.repo.deactivate('exp', { expectedActive: 'exp-1', status: 'rejected' });
    expect(off).toMatchObject({ version: 'exp-1', isActive: false, status: 'rejected' });
    expect(await t.repo.getActive('exp')).toBeNull();
  });

  it('list() filters, pages newest first, and counts the total', async () => {
    for (let i = 0; i < 5; i++) await t.repo.create(base(`page-${i}`, 'paging'));
    const page = await t.repo.list({ strategyId: 'paging' }, 2, 1);
    expect(page.total).toBe(5);
    expect(page.items.map((m) => m.version)).toEqual(['page-3', 'page-2']);
    expect((await t.repo.list({ strategyId: 'paging' }, 100, 5)).items).toEqual([]);
    expect((await t.repo.list({ strategyId: 'paging', status: ['candidate', 'rejected'] })).total).toBe(5);
    await t.repo.setStatus('page-0', 'rejected');
    expect((await t.repo.list({ strategyId: 'paging', status: 'rejected' })).items.map((m) => m.version)).toEqual([
      'page-0',
    ]);
    expect((await t.repo.listActive()).map((m) => m.strategyId)).not.toContain('paging');
  });

  it('strategyIds() lists each strategy with a version once, sorted by code unit; none in an empty table', async () => {
    const own = await createTestDataSource({ prefix: 'mv_ids' });
    try {
      const versions = new ModelVersionRepository(own.dataSource);
      expect(await versions.strategyIds()).toEqual([]);
      for (const [version, strategyId] of [['i1', 'mean_reversion'], ['i2', 'mean_reversion'], ['i3', 'breakout'], ['i4', 'Zeta']]) {
        await versions.create(base(version, strategyId));
      }
      expect(await versions.strategyIds()).toEqual(['Zeta', 'breakout', 'mean_reversion']);
    } finally {
      await own.drop();
    }
  });
});
