import { compareTimestamps, PositionSnapshot, positionKeyOf } from '@model-service/exit-rules';
import { PositionRepository } from '@model-service/repositories';
import { Logger } from '@model-service/util';
import { Injectable } from '@nestjs/common';

import { ExitEngine } from '../evaluation/exit-engine.service';
import { ExitMetrics, UpdateSource } from '../evaluation/exit-metrics';
import { snapshotFromPositionRow, withKnownPositionId } from '../intake/position-snapshot.mapper';
import { PositionManagerSource } from './position-manager.source';

export interface FallbackCandidate {
  key: string;
  snapshot: PositionSnapshot;
  source: UpdateSource;
}

export interface FallbackCollection {
  candidates: FallbackCandidate[];
  /** Sources that could not be read this round. */
  failed: UpdateSource[];
}

/**
 * What the fallback evaluates each round, newest snapshot per position from: the last update seen
 * (so time-based exits still fire when nothing moves), the positions table (open rows, and the row
 * of a known position that was open there last round and is closed now) and, when configured, the
 * position manager's REST API (per asset of the known and open positions).
 *
 * The positions table and the API may name a position by another id than the queue did; a snapshot
 * of a position with known state takes that state's position_id, and the rules' entry-price check
 * still notices a re-opened position.
 */
@Injectable()
export class FallbackSources {
  private readonly log = new Logger('FallbackSources');
  private openLastRound = new Set<string>();

  constructor(
    private readonly engine: ExitEngine,
    private readonly positions: PositionRepository,
    private readonly api: PositionManagerSource,
    private readonly metrics: ExitMetrics,
  ) {}

  async collect(): Promise<FallbackCollection> {
    const chosen = new Map<string, FallbackCandidate>();
    const failed: UpdateSource[] = [];
    const consider = (snapshot: PositionSnapshot, source: UpdateSource): void => {
      const key = positionKeyOf(snapshot);
      const known = this.engine.stateOf(key);
      const named = withKnownPositionId(snapshot, known?.position_id);
      const candidate = { key, snapshot: { ...named, position_id: named.position_id || key }, source };
      const existing = chosen.get(key);
      if (!existing || compareTimestamps(candidate.snapshot, existing.snapshot) >= 0) chosen.set(key, candidate);
    };

    const known = this.engine.knownPositions();
    for (const k of known) if (k.snapshot) consider(k.snapshot, 'last_known');

    try {
      const open = await this.positions.listOpen();
      for (const row of open) consider(snapshotFromPositionRow(row), 'positions_table');
      // A known position whose row was open last round and is not now: read its row to see it closed.
      const openKeys = new Set(open.map((row) => positionKeyOf({ asset: row.asset, strategy_id: row.strategyId })));
      for (const { key, state } of known) {
        if (openKeys.has(key) || !this.openLastRound.has(key)) continue;
        const row = await this.positions.findByAsset(state.asset, state.strategy_id);
        if (row && (row.closedAt || row.size === 0)) consider(snapshotFromPositionRow(row), 'positions_table');
      }
      this.openLastRound = openKeys;
    } catch (err) {
      failed.push('positions_table');
      this.sourceFailed('positions_table', err);
    }

    if (this.api.configured) {
      const assets = new Set([...known.map((k) => k.state.asset), ...[...chosen.values()].map((c) => c.snapshot.asset)]);
      for (const asset of assets) {
        try {
          for (const snapshot of await this.api.positions(asset)) consider(snapshot, 'position_manager_api');
        } catch (err) {
          if (!failed.includes('position_manager_api')) failed.push('position_manager_api');
          this.sourceFailed('position_manager_api', err, asset);
        }
      }
    }
    return { candidates: [...chosen.values()], failed };
  }

  private sourceFailed(source: UpdateSource, err: unknown, asset?: string): void {
    this.metrics.failed('fallback_source');
    this.log.warn('fallback source unavailable', { source, asset, error: err instanceof Error ? err.message : String(err) });
  }
}
