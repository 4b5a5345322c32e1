import { randomBytes } from 'node:crypto';
import * as path from 'node:path';

import { buildModelEvent, ModelEventsPublisher } from '@model-service/messaging';
import { ModelArtifactsData, ModelVersionMeta, removeModelVersion, saveModelVersion, SavedModelVersion } from '@model-service/ml';
import {
  ActivationResult,
  ModelVersionEntity,
  ModelVersionRepository,
  NewModelVersion,
  NewQualityMetric,
  QualityMetricRepository,
  RecordConflictError,
  RecordNotFoundError,
} from '@model-service/repositories';
import { ModelEventType } from '@model-service/signals';
import { Logger } from '@model-service/util';
import { Injectable } from '@nestjs/common';

import { TrainerEnv } from '../config/trainer.env';
import { TrainerMetrics } from '../health/trainer-metrics';
import { CleanupCandidate, versionsToArchive } from './version-cleanup.policy';

export interface SwitchResult extends ActivationResult {
  /** False when the requested version was already the active one (no event published). */
  changed: boolean;
}

/**
 * Model versions: files under MODEL_STORAGE_PATH/{version}/ (through the ml lib's model store) plus their
 * `model_versions` rows and metrics; activation, rollback and cleanup, each announced on the model-events exchange.
 */
@Injectable()
export class ModelRegistry {
  readonly root: string;
  private readonly log = new Logger('ModelRegistry');

  constructor(
    private readonly versions: ModelVersionRepository,
    private readonly qualityMetrics: QualityMetricRepository,
    private readonly events: ModelEventsPublisher,
    private readonly metrics: TrainerMetrics,
    private readonly env: TrainerEnv,
  ) {
    this.root = path.resolve(env.MODEL_STORAGE_PATH);
  }

  /** `<strategy>-<yyyymmddThhmmssSSS>-<4 hex>`: sortable, unique, safe as a directory name, ≤ 100 characters. */
  newVersionName(strategyId: string, at: Date = new Date()): string {
    const stamp = at.toISOString().replace(/[-:]/g, '').replace('.', '').replace('Z', '');
    const safe = strategyId.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, '_').slice(0, 70);
    return `${safe}-${stamp}-${randomBytes(2).toString('hex')}`;
  }

  dirOf(version: string): string {
    return path.join(this.root, version);
  }

  /** Writes the version's files atomically (fails, e.g. ENOSPC, without leaving a partial directory). */
  save(artifacts: ModelArtifactsData, meta: ModelVersionMeta): Promise<SavedModelVersion> {
    return saveModelVersion(this.dirOf(meta.version), artifacts, meta);
  }

  /** Registers saved files as a version row; removes the files again when the row cannot be written. */
  async register(input: NewModelVersion, metrics: NewQualityMetric[] | ((row: ModelVersionEntity) => NewQualityMetric[])): Promise<ModelVersionEntity> {
    try {
      const row = await this.versions.create(input);
      await this.qualityMetrics.insertMany(typeof metrics === 'function' ? metrics(row) : metrics);
      return row;
    } catch (err) {
      await removeModelVersion(input.filePath).catch(() => undefined);
      throw err;
    }
  }

  /** Makes `version` the strategy's one active version (atomically) and publishes model_activated. */
  async activate(version: string, strategyId: string, metadata: Record<string, unknown> = {}): Promise<SwitchResult> {
    const before = await this.versions.getActive(strategyId);
    if (before?.version === version) return { activated: before, previous: null, changed: false };
    const result = await this.versions.activate(version, strategyId);
    await this.events.publish(buildModelEvent(ModelEventType.ACTIVATED, {
      strategyId,
      version: result.activated.version,
      previousVersion: result.previous?.version ?? null,
      checksum: result.activated.checksum,
      metadata: { ...result.activated.metrics, ...metadata },
    }));
    this.metrics.modelSwitches.inc({ strategy_id: strategyId, kind: 'activation' });
    this.log.info('model version activated', { strategy_id: strategyId, version, previous_version: result.previous?.version ?? null });
    return { ...result, changed: true };
  }

  /**
   * Rolls the strategy back: to `toVersion` when given (an earlier version of the same strategy, not archived),
   * else to the last good version (the most recently retired one). The version that was active is marked
   * rejected. Publishes model_rolled_back.
   */
  async rollback(strategyId: string, opts: { toVersion?: string; reason?: string } = {}): Promise<SwitchResult> {
    let result: ActivationResult;
    if (opts.toVersion) {
      const target = await this.versions.getOrThrow(opts.toVersion);
      if (target.strategyId !== strategyId) {
        throw new RecordConflictError(`model version ${opts.toVersion} belongs to strategy ${target.strategyId}, not ${strategyId}`);
      }
      result = await this.versions.activate(opts.toVersion, strategyId);
      if (result.previous) result = { ...result, previous: await this.versions.setStatus(result.previous.version, 'rejected') };
    } else {
      result = await this.versions.rollback(strategyId);
    }
    const changed = result.previous !== null;
    await this.events.publish(buildModelEvent(ModelEventType.ROLLED_BACK, {
      strategyId,
      version: result.activated.version,
      previousVersion: result.previous?.version ?? null,
      checksum: result.activated.checksum,
      metadata: { reason: opts.reason ?? 'rollback' },
    }));
    this.metrics.modelSwitches.inc({ strategy_id: strategyId, kind: 'rollback' });
    this.log.warn('model rolled back', {
      strategy_id: strategyId,
      version: result.activated.version,
      previous_version: result.previous?.version ?? null,
      reason: opts.reason,
    });
    return { ...result, changed };
  }

  /**
   * Takes `version` out of service because it failed in use: it is marked rejected and the strategy's last good
   * version re-activated (model_rolled_back), or, with none, the strategy returns to warm-up (model_deactivated,
   * version null). Nothing changes (RecordConflictError) when `version` is no longer the active one.
   */
  async rollbackFailing(strategyId: string, version: string, metadata: Record<string, unknown>): Promise<{ to: string | null }> {
    let to: ModelVersionEntity | null;
    try {
      to = (await this.versions.rollback(strategyId, { expectedActive: version })).activated;
    } catch (err) {
      if (!(err instanceof RecordNotFoundError)) throw err;
      await this.versions.deactivate(strategyId, { status: 'rejected', expectedActive: version });
      to = null;
    }
    await this.events.publish(buildModelEvent(to === null ? ModelEventType.DEACTIVATED : ModelEventType.ROLLED_BACK, {
      strategyId,
      version: to?.version ?? null,
      previousVersion: version,
      checksum: to?.checksum ?? null,
      metadata,
    }));
    this.metrics.modelSwitches.inc({ strategy_id: strategyId, kind: 'rollback' });
    return { to: to?.version ?? null };
  }

  /**
   * Keeps the newest MODEL_VERSIONS_KEEP versions of the strategy plus the active and the best one; the others
   * are marked archived and their files deleted. Returns the archived versions.
   */
  async cleanup(strategyId: string, keep = this.env.MODEL_VERSIONS_KEEP): Promise<string[]> {
    const all: ModelVersionEntity[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await this.versions.list({ strategyId }, 1000, offset);
      all.push(...page.items);
      if (page.items.length < 1000) break;
    }
    const candidates: CleanupCandidate[] = all.map((v) => ({
      version: v.version,
      createdAt: v.createdAt,
      isActive: v.isActive,
      status: v.status,
      accuracy: typeof v.metrics?.['accuracy'] === 'number' ? (v.metrics['accuracy'] as number) : null,
    }));
    const doomed = versionsToArchive(candidates, keep);
    const archived: string[] = [];
    for (const row of all.filter((v) => doomed.includes(v.version))) {
      const version = row.version;
      try {
        await this.versions.archive(version);
      } catch (err) {
        // Activated meanwhile (e.g. through the ops API): keep it.
        this.log.warn('version not archived', { version, error: err instanceof Error ? err.message : String(err) });
        continue;
      }
      await removeModelVersion(row.filePath).catch((err: unknown) =>
        this.log.error('model files of an archived version could not be removed', { version, dir: row.filePath, error: String(err) }),
      );
      archived.push(version);
    }
    if (archived.length) this.log.info('old model versions archived', { strategy_id: strategyId, archived: archived.length, keep });
    return archived;
  }
}
