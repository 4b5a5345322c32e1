import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, FindOptionsWhere, In, Not } from 'typeorm';

import { asQueryPartial } from '../database/query-partial';
import { Page } from '../database/sql-params';
import { ModelVersionEntity, ModelVersionStatus } from '../entities/model-version.entity';
import { isUniqueViolation, RecordConflictError, RecordNotFoundError } from '../errors';
import { StrategyTableRepository } from './table.repository';

export interface NewModelVersion {
  version: string;
  strategyId: string;
  modelType: string;
  featureSetVersion: string;
  filePath: string;
  checksum: string;
  trainingConfig?: Record<string, unknown>;
  metrics?: Record<string, unknown>;
  trainingDatasetSize?: number;
  trainingDurationSeconds?: number;
  trainingRunId?: string | null;
  parentVersion?: string | null;
  /** 'candidate' (default) or 'rejected' (failed the promotion rule). Use activate() to make it active. */
  status?: 'candidate' | 'rejected';
}

export interface ModelVersionFilters {
  strategyId?: string;
  isActive?: boolean;
  status?: ModelVersionStatus | ModelVersionStatus[];
}

export interface ActivationResult {
  activated: ModelVersionEntity;
  /** The version that was active for the strategy before, now retired (or rejected on rollback). */
  previous: ModelVersionEntity | null;
}

@Injectable()
export class ModelVersionRepository extends StrategyTableRepository<ModelVersionEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, ModelVersionEntity);
  }

  async create(input: NewModelVersion): Promise<ModelVersionEntity> {
    const entity = this.repo.create({
      trainingConfig: {},
      metrics: {},
      trainingDatasetSize: 0,
      trainingDurationSeconds: 0,
      trainingRunId: null,
      parentVersion: null,
      ...input,
      status: input.status ?? 'candidate',
      isActive: false,
    });
    try {
      await this.repo.insert(asQueryPartial<ModelVersionEntity>(entity));
    } catch (err) {
      if (isUniqueViolation(err)) throw new RecordConflictError(`model version ${input.version} already exists`);
      throw err;
    }
    return this.getOrThrow(input.version);
  }

  findByVersion(version: string): Promise<ModelVersionEntity | null> {
    return this.repo.findOne({ where: { version } });
  }

  findById(id: string): Promise<ModelVersionEntity | null> {
    return this.repo.findOne({ where: { id } });
  }

  getOrThrow(version: string): Promise<ModelVersionEntity> {
    return this.foundOrThrow(this.findByVersion(version), `model version ${version}`);
  }

  /** Newest first. */
  async list(filters: ModelVersionFilters = {}, limit = 100, offset = 0): Promise<Page<ModelVersionEntity>> {
    const where: FindOptionsWhere<ModelVersionEntity> = {};
    if (filters.strategyId !== undefined) where.strategyId = filters.strategyId;
    if (filters.isActive !== undefined) where.isActive = filters.isActive;
    if (filters.status !== undefined) {
      where.status = Array.isArray(filters.status) ? In(filters.status) : filters.status;
    }
    const [items, total] = await this.repo.findAndCount({
      where,
      order: { createdAt: 'DESC', version: 'DESC' },
      take: limit,
      skip: offset,
    });
    return { items, total, limit, offset };
  }

  getActive(strategyId: string): Promise<ModelVersionEntity | null> {
    return this.repo.findOne({ where: { strategyId, isActive: true } });
  }

  /** The active version of every strategy that has one. */
  listActive(): Promise<ModelVersionEntity[]> {
    return this.repo.find({ where: { isActive: true }, order: { strategyId: 'ASC' } });
  }

  /**
   * Makes `version` the one active version of `strategyId` in a single transaction: the previous active
   * version is retired, then this one activated. Concurrent activations for one strategy are serialised
   * (advisory lock), and the partial unique index guarantees there is never a second active row.
   * Activating the version that is already active changes nothing.
   */
  activate(version: string, strategyId: string): Promise<ActivationResult> {
    return this.dataSource.transaction((manager) => this.activateIn(manager, version, strategyId, 'retired'));
  }

  /**
   * Rolls the strategy back to previousGood(): the active version is marked `rejected` (so it is not
   * picked as "good" again) and the previous good one activated, atomically. With `expectedActive`, nothing
   * changes (RecordConflictError) unless that version is the active one when the lock is held: a check that
   * judged one version never rolls back another that was activated meanwhile.
   */
  rollback(strategyId: string, opts: { expectedActive?: string } = {}): Promise<ActivationResult> {
    return this.dataSource.transaction(async (manager) => {
      await lockStrategy(manager, strategyId);
      if (opts.expectedActive !== undefined) await assertActive(manager, strategyId, opts.expectedActive);
      const target = await this.previousGoodIn(manager, strategyId);
      if (!target) throw new RecordNotFoundError(`no earlier good model version for strategy ${strategyId}`);
      return this.activateIn(manager, target.version, strategyId, 'rejected');
    });
  }

  /**
   * Deactivates the strategy's active version (the strategy returns to warm-up), marking it `retired` or, when it
   * failed, `rejected`. `expectedActive` as in rollback().
   */
  deactivate(
    strategyId: string,
    opts: { status?: 'retired' | 'rejected'; expectedActive?: string } = {},
  ): Promise<ModelVersionEntity | null> {
    return this.dataSource.transaction(async (manager) => {
      await lockStrategy(manager, strategyId);
      if (opts.expectedActive !== undefined) await assertActive(manager, strategyId, opts.expectedActive);
      const repo = manager.getRepository(ModelVersionEntity);
      const active = await repo.findOne({ where: { strategyId, isActive: true } });
      if (!active) return null;
      await repo.update(
        { id: active.id },
        { isActive: false, status: opts.status ?? 'retired', deactivatedAt: () => 'now()' },
      );
      return repo.findOneOrFail({ where: { id: active.id } });
    });
  }

  /**
   * The version to roll back to: the most recently deactivated one that was active before and has not
   * been rejected or archived since.
   */
  previousGood(strategyId: string): Promise<ModelVersionEntity | null> {
    return this.previousGoodIn(this.dataSource.manager, strategyId);
  }

  /** Sets a non-active status (candidate, rejected, retired); use activate()/archive() for the others. */
  async setStatus(version: string, status: 'candidate' | 'rejected' | 'retired'): Promise<ModelVersionEntity> {
    const current = await this.getOrThrow(version);
    if (current.isActive) throw new RecordConflictError(`model version ${version} is active; deactivate it first`);
    await this.repo.update({ id: current.id }, { status });
    return this.getOrThrow(version);
  }

  async updateMetrics(version: string, metrics: Record<string, unknown>): Promise<void> {
    const result = await this.repo.update({ version }, asQueryPartial<ModelVersionEntity>({ metrics }));
    if (!result.affected) throw new RecordNotFoundError(`model version ${version} not found`);
  }

  /** Marks a version archived (its files are deleted by the caller). The active version cannot be archived. */
  async archive(version: string): Promise<ModelVersionEntity> {
    const current = await this.getOrThrow(version);
    if (current.isActive) throw new RecordConflictError(`model version ${version} is active and cannot be archived`);
    await this.repo.update({ id: current.id }, { status: 'archived', archivedAt: () => 'now()' });
    return this.getOrThrow(version);
  }

  /** How many versions each (strategy, model type) has, archived ones included. */
  async countsByStrategyAndType(): Promise<Array<{ strategyId: string; modelType: string; count: number }>> {
    const rows: Array<{ strategy_id: string; model_type: string; n: number }> = await this.repo
      .createQueryBuilder('m')
      .select('m.strategy_id', 'strategy_id')
      .addSelect('m.model_type', 'model_type')
      .addSelect('count(*)::int', 'n')
      .groupBy('m.strategy_id')
      .addGroupBy('m.model_type')
      .orderBy('m.strategy_id')
      .addOrderBy('m.model_type')
      .getRawMany();
    return rows.map((r) => ({ strategyId: r.strategy_id, modelType: r.model_type, count: Number(r.n) }));
  }

  countByStrategy(strategyId: string, includeArchived = false): Promise<number> {
    return this.repo.count({
      where: includeArchived ? { strategyId } : { strategyId, status: Not('archived') },
    });
  }

  private async activateIn(
    manager: EntityManager,
    version: string,
    strategyId: string,
    previousStatus: 'retired' | 'rejected',
  ): Promise<ActivationResult> {
    await lockStrategy(manager, strategyId);
    const repo = manager.getRepository(ModelVersionEntity);
    const target = await repo.findOne({ where: { version }, lock: { mode: 'pessimistic_write' } });
    if (!target) throw new RecordNotFoundError(`model version ${version} not found`);
    if (target.strategyId !== strategyId) {
      throw new RecordConflictError(
        `model version ${version} belongs to strategy ${target.strategyId}, not ${strategyId}`,
      );
    }
    if (target.status === 'archived') {
      throw new RecordConflictError(`model version ${version} is archived (its files are gone)`);
    }
    if (target.isActive) return { activated: target, previous: null };

    const previous = await repo.findOne({ where: { strategyId, isActive: true } });
    if (previous) {
      await repo.update(
        { id: previous.id },
        { isActive: false, status: previousStatus, deactivatedAt: () => 'now()' },
      );
    }
    await repo.update(
      { id: target.id },
      { isActive: true, status: 'active', activatedAt: () => 'now()', deactivatedAt: null },
    );
    return {
      activated: await repo.findOneOrFail({ where: { id: target.id } }),
      previous: previous ? await repo.findOneOrFail({ where: { id: previous.id } }) : null,
    };
  }

  private previousGoodIn(manager: EntityManager, strategyId: string): Promise<ModelVersionEntity | null> {
    return manager
      .getRepository(ModelVersionEntity)
      .createQueryBuilder('mv')
      .where('mv.strategy_id = :strategyId', { strategyId })
      .andWhere('NOT mv.is_active')
      .andWhere('mv.activated_at IS NOT NULL')
      .andWhere("mv.status = 'retired'")
      .orderBy('mv.deactivated_at', 'DESC', 'NULLS LAST')
      .addOrderBy('mv.activated_at', 'DESC')
      .getOne();
  }
}

async function assertActive(manager: EntityManager, strategyId: string, version: string): Promise<void> {
  const active = await manager.getRepository(ModelVersionEntity).findOne({ where: { strategyId, isActive: true } });
  if (active?.version !== version) {
    throw new RecordConflictError(
      `model version ${version} is no longer the active version of strategy ${strategyId} (active: ${active?.version ?? 'none'})`,
    );
  }
}

/** Serialises activation changes of one strategy until the transaction ends. */
async function lockStrategy(manager: EntityManager, strategyId: string): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`model_versions:${strategyId}`]);
}
