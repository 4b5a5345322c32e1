export type QualityAction = 'none' | 'retrain' | 'rollback';

type Phase = 'ok' | 'retraining' | 'retrained';

/**
 * Per-strategy reaction to live quality checks: the first breach triggers retraining; while that retraining
 * runs, further breaches wait; if the quality is still breached at the first check after it finished, roll
 * back to the last good version. A check within the limit clears everything.
 */
export class DegradationTracker {
  private readonly phases = new Map<string, Phase>();

  phase(strategyId: string): Phase {
    return this.phases.get(strategyId) ?? 'ok';
  }

  observe(strategyId: string, breached: boolean): QualityAction {
    const phase = this.phase(strategyId);
    if (!breached) {
      this.phases.delete(strategyId);
      return 'none';
    }
    if (phase === 'ok') {
      this.phases.set(strategyId, 'retraining');
      return 'retrain';
    }
    if (phase === 'retrained') {
      this.phases.delete(strategyId);
      return 'rollback';
    }
    return 'none';
  }

  /** A run of the strategy ended (not cancelled) and none is in progress. */
  runFinished(strategyId: string): void {
    if (this.phase(strategyId) === 'retraining') this.phases.set(strategyId, 'retrained');
  }

  /** The retraining could not be started: the next breach tries again. */
  retrainFailed(strategyId: string): void {
    this.phases.delete(strategyId);
  }
}
