export type ThresholdAction = 'none' | 'retrain' | 'fine_tune';

export interface CounterThresholds {
  /** New executions that trigger a full retrain (0 = never). */
  retrain: number;
  /** New executions that trigger a fine-tuning run when online updates are on (null = off). */
  fineTune: number | null;
}

/**
 * New executions per strategy since its last training run started, and what they call for. A strategy fires
 * once per threshold crossing: after a 'retrain' or 'fine_tune' answer it stays quiet until `reset` (a run started).
 */
export class ExecutionCounter {
  private readonly counts = new Map<string, number>();
  private readonly fired = new Set<string>();

  constructor(private readonly thresholds: CounterThresholds) {}

  count(strategyId: string): number {
    return this.counts.get(strategyId) ?? 0;
  }

  /** Sets the count (from the database at start-up). */
  seed(strategyId: string, n: number): void {
    this.counts.set(strategyId, n);
  }

  /** Adds newly stored executions; `canFineTune` says whether the strategy has an active model and no run in progress. */
  add(strategyId: string, n: number, canFineTune: boolean): ThresholdAction {
    const total = this.count(strategyId) + n;
    this.counts.set(strategyId, total);
    if (this.fired.has(strategyId)) return 'none';
    const { retrain, fineTune } = this.thresholds;
    if (retrain > 0 && total >= retrain) {
      this.fired.add(strategyId);
      return 'retrain';
    }
    if (fineTune !== null && canFineTune && total >= fineTune) {
      this.fired.add(strategyId);
      return 'fine_tune';
    }
    return 'none';
  }

  /** A run of the strategy started: count from zero again. */
  reset(strategyId: string): void {
    this.counts.set(strategyId, 0);
    this.fired.delete(strategyId);
  }

  /** A trigger could not start a run: allow the next crossing to fire again. */
  rearm(strategyId: string): void {
    this.fired.delete(strategyId);
  }
}
