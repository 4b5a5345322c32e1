import { Injectable } from '@nestjs/common';
import { DataSource, FindOptionsWhere, In } from 'typeorm';

import { asQueryPartial } from '../database/query-partial';
import { Page } from '../database/sql-params';
import { TrainingProgress, TrainingRunEntity, TrainingRunStatus, TrainingTrigger } from '../entities/training-run.entity';
import { RecordNotFoundError } from '../errors';
import { TableRepository } from './table.repository';

export interface NewTrainingRun {
  strategyId: string;
  trigger: TrainingTrigger;
  config?: Record<string, unknown>;
  traceId?: string | null;
  /** Default 'queued'; 'skipped' records a run refused up front (e.g. too little data). */
  status?: TrainingRunStatus;
  error?: string | null;
  datasetSize?: number | null;
}

export interface TrainingRunPatch {
  status?: TrainingRunStatus;
  progress?: TrainingProgress | null;
  datasetSize?: number | null;
  modelVersion?: string | null;
  error?: string | null;
  config?: Record<string, unknown>;
  startedAt?: Date | null;
  finishedAt?: Date | null;
}

export interface TrainingRunFilters {
  strategyId?: string;
  status?: TrainingRunStatus | TrainingRunStatus[];
  trigger?: TrainingTrigger;
}

const UNFINISHED: TrainingRunStatus[] = ['queued', 'running'];
const FINAL: TrainingRunStatus[] = ['cancelled', 'succeeded', 'failed', 'skipped'];

@Injectable()
export class TrainingRunRepository extends TableRepository<TrainingRunEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, TrainingRunEntity);
  }

  async create(input: NewTrainingRun): Promise<TrainingRunEntity> {
    const status = input.status ?? 'queued';
    const entity = this.repo.create({
      strategyId: input.strategyId,
      trigger: input.trigger,
      status,
      config: input.config ?? {},
      traceId: input.traceId ?? null,
      error: input.error ?? null,
      datasetSize: input.datasetSize ?? null,
      progress: null,
      finishedAt: FINAL.includes(status) ? new Date() : null,
    });
    const result = await this.repo.insert(asQueryPartial<TrainingRunEntity>(entity));
    const id = (result.identifiers[0] as { id: string }).id;
    return this.getOrThrow(id);
  }

  /** Applies the patch and returns the updated row. */
  async update(id: string, patch: TrainingRunPatch): Promise<TrainingRunEntity> {
    if (Object.keys(patch).length > 0) {
      const result = await this.repo.update({ id }, asQueryPartial<TrainingRunEntity>(patch));
      if (!result.affected) throw new RecordNotFoundError(`training run ${id} not found`);
    }
    return this.getOrThrow(id);
  }

  /** status running, started_at now. */
  start(id: string): Promise<TrainingRunEntity> {
    return this.update(id, { status: 'running', startedAt: new Date() });
  }

  /** A final status with finished_at now, plus any other fields (model_version, error, dataset_size). */
  finish(
    id: string,
    status: 'cancelled' | 'succeeded' | 'failed' | 'skipped',
    patch: Omit<TrainingRunPatch, 'status' | 'finishedAt'> = {},
  ): Promise<TrainingRunEntity> {
    return this.update(id, { ...patch, status, finishedAt: new Date() });
  }

  get(id: string): Promise<TrainingRunEntity | null> {
    return this.repo.findOne({ where: { id } });
  }

  getOrThrow(id: string): Promise<TrainingRunEntity> {
    return this.foundOrThrow(this.get(id), `training run ${id}`);
  }

  /** The most recently queued run (of a strategy, or of any). */
  latest(strategyId?: string): Promise<TrainingRunEntity | null> {
    return this.repo.findOne({
      where: strategyId !== undefined ? { strategyId } : {},
      order: { queuedAt: 'DESC' },
    });
  }

  /** The most recent run that reached a final status (optionally one of `statuses`). */
  lastFinished(strategyId?: string, statuses: TrainingRunStatus[] = FINAL): Promise<TrainingRunEntity | null> {
    return this.repo.findOne({
      where: { ...(strategyId !== undefined ? { strategyId } : {}), status: In(statuses) },
      order: { finishedAt: { direction: 'DESC', nulls: 'LAST' }, queuedAt: 'DESC' },
    });
  }

  /** Runs still queued or running, oldest first. */
  running(strategyId?: string): Promise<TrainingRunEntity[]> {
    return this.repo.find({
      where: { ...(strategyId !== undefined ? { strategyId } : {}), status: In(UNFINISHED) },
      order: { queuedAt: 'ASC' },
    });
  }

  /** Newest first. */
  async list(filters: TrainingRunFilters = {}, limit = 100, offset = 0): Promise<Page<TrainingRunEntity>> {
    const where: FindOptionsWhere<TrainingRunEntity> = {};
    if (filters.strategyId !== undefined) where.strategyId = filters.strategyId;
    if (filters.trigger !== undefined) where.trigger = filters.trigger;
    if (filters.status !== undefined) where.status = Array.isArray(filters.status) ? In(filters.status) : filters.status;
    const [items, total] = await this.repo.findAndCount({ where, order: { queuedAt: 'DESC' }, take: limit, skip: offset });
    return { items, total, limit, offset };
  }

  /**
   * Marks runs left queued/running by a process that died as failed (call at trainer start-up).
   * Returns how many were closed.
   */
  async failUnfinished(reason: string, strategyId?: string): Promise<number> {
    const result = await this.repo.update(
      { ...(strategyId !== undefined ? { strategyId } : {}), status: In(UNFINISHED) },
      { status: 'failed', error: reason, finishedAt: new Date() },
    );
    return result.affected ?? 0;
  }
}
