/** Why a training run failed; stored with the failed `training_runs` row. */
export type TrainingFailureReason =
  | 'nan_loss' // the loss became NaN/Infinity (diverged, or non-finite inputs slipped through)
  | 'invalid_input' // shapes, labels not 0/1, non-finite feature values, bad hyper-parameters
  | 'empty_split' // no rows on one side of the time-ordered split
  | 'worker_failed'; // the training worker crashed or exited without a result

export class TrainingError extends Error {
  override readonly name = 'TrainingError';

  constructor(
    readonly reason: TrainingFailureReason,
    readonly detail?: string,
  ) {
    super(detail ? `training failed: ${reason} (${detail})` : `training failed: ${reason}`);
  }
}

export class TrainingCancelledError extends Error {
  override readonly name = 'TrainingCancelledError';

  constructor(detail = 'training cancelled') {
    super(detail);
  }
}

export function isTrainingCancelled(err: unknown): err is TrainingCancelledError {
  return err instanceof Error && err.name === 'TrainingCancelledError';
}
