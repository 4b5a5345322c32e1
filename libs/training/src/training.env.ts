import { BaseServiceEnv, EnvBoolean, EnvNumber, EnvString } from '@model-service/util';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';

/**
 * The environment variables of a training run: model, dataset, labels, promotion and online fine-tuning. The
 * trainer's environment extends it; the training bench and the dataset export read it on their own.
 */
export class TrainingEnv extends BaseServiceEnv {
  /** Fewest labelled executions a strategy needs before a training run trains (fewer = a recorded skip). */
  @EnvNumber() @IsInt() @Min(2) @Max(100_000_000)
  MODEL_TRAINING_MIN_DATASET_SIZE = 1000;

  /** A training run taking longer than this many seconds is stopped and recorded as failed. */
  @EnvNumber() @IsNumber() @Min(1) @Max(604_800)
  MODEL_TRAINING_MAX_DURATION_SECONDS = 1800;

  @EnvString() @IsIn(['logistic', 'mlp'])
  MODEL_TYPE: 'logistic' | 'mlp' = 'mlp';

  @EnvNumber() @IsInt() @Min(1) @Max(10_000)
  MODEL_TRAINING_EPOCHS = 30;

  @EnvNumber() @IsInt() @Min(1) @Max(1_000_000)
  MODEL_TRAINING_BATCH_SIZE = 1024;

  @EnvNumber() @IsNumber() @Min(1e-7) @Max(1)
  MODEL_TRAINING_LEARNING_RATE = 0.001;

  /** Early stopping: epochs without a better validation loss before training stops. */
  @EnvNumber() @IsInt() @Min(0) @Max(1000)
  MODEL_TRAINING_PATIENCE = 4;

  /** Most recent fraction of the dataset held out for validation (time-ordered, never shuffled). */
  @EnvNumber() @IsNumber() @Min(0.05) @Max(0.5)
  MODEL_TRAINING_VALIDATION_FRACTION = 0.2;

  /** Time windows of a dataset read in parallel from PostgreSQL (the database sorts one while another is featurised). */
  @EnvNumber() @IsInt() @Min(1) @Max(16)
  MODEL_TRAINING_DATASET_READERS = 2;

  /** Weight classes by n / (2 · n_class) on the training split. */
  @EnvBoolean() @IsBoolean()
  MODEL_TRAINING_CLASS_WEIGHTING = true;

  /** Every decision is labelled by the price move over this horizon after its execution (in the side's direction, net of fees), seconds. */
  @EnvNumber() @IsNumber() @Min(0) @Max(2_592_000)
  MODEL_TRAINING_LABEL_HORIZON_SECONDS = 900;

  /** Gap between the last training signal and the first validation signal, seconds (unset = the label horizon). */
  @EnvNumber() @IsOptional() @IsNumber() @Min(0) @Max(2_592_000)
  MODEL_TRAINING_EMBARGO_SECONDS?: number;

  /** Fee rate of the closing trade assumed when marking to market (0.001 = 0.1 %). */
  @EnvNumber() @IsNumber() @Min(0) @Max(0.1)
  MODEL_TRAINING_EXIT_FEE_RATE = 0.001;

  /** Net return (fraction) above which a trade counts as profitable. */
  @EnvNumber() @IsNumber() @Min(-1) @Max(1)
  MODEL_TRAINING_MIN_RETURN = 0;

  /** Probability at or above which the model's trade is taken (trading metrics, classification threshold). */
  @EnvNumber() @IsNumber() @Min(0.01) @Max(0.99)
  MODEL_DECISION_THRESHOLD = 0.5;

  /** The lower bound of the 95 % interval of a candidate's held-out accuracy must reach this to be promoted (0..1). */
  @EnvNumber() @IsNumber() @Min(0) @Max(1)
  MODEL_QUALITY_THRESHOLD_ACCURACY = 0.75;

  /** Fewest held-out (validation) rows a candidate is judged on; fewer and it is not promoted. */
  @EnvNumber() @IsInt() @Min(1) @Max(10_000_000)
  MODEL_PROMOTION_MIN_VALIDATION_ROWS = 200;

  /** New executions since the active model's data that trigger a fine-tuning run. */
  @EnvNumber() @IsInt() @Min(2) @Max(10_000_000)
  MODEL_ONLINE_UPDATE_THRESHOLD = 200;

  @EnvNumber() @IsInt() @Min(1) @Max(1000)
  MODEL_ONLINE_UPDATE_EPOCHS = 5;

  @EnvNumber() @IsNumber() @Min(1e-7) @Max(1)
  MODEL_ONLINE_UPDATE_LEARNING_RATE = 0.0003;
}
