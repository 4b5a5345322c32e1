import { TrainingEnv } from '@model-service/training';
import { EnvBoolean, EnvCronSchedule, EnvNumber, EnvString } from '@model-service/util';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';

import { IsCronSchedule } from './cron-schedule.validator';

/** Environment of the trainer app; every variable is listed with its default in .env.example. */
export class TrainerEnv extends TrainingEnv {
  override MODEL_SERVICE_PORT = 4702;
  /** Dataset reads over a large execution history may take minutes; still bounded. */
  override DATABASE_STATEMENT_TIMEOUT_MS = 300_000;


  /** TRAINER_QUEUE_PREFIX is the old name of QUEUE_PREFIX. */
  static override readonly renamedVariables = { TRAINER_QUEUE_PREFIX: 'QUEUE_PREFIX' };

  // --- model store -----------------------------------------------------------------------------

  /** Directory holding one sub-directory per model version. */
  @EnvString() @IsString() @MaxLength(1000)
  MODEL_STORAGE_PATH = './model-store';

  /** Versions kept per strategy by the cleanup (the active and the best version are always kept on top). */
  @EnvNumber({ type: 'integer', min: 1, max: 100_000 })
  MODEL_VERSIONS_KEEP = 100;

  // --- execution intake ------------------------------------------------------------------------

  /** Execution events written per batch (a batch is also written after TRAINER_INTAKE_FLUSH_MS). */
  @EnvNumber({ type: 'integer', min: 1, max: 10_000 })
  TRAINER_INTAKE_BATCH_SIZE = 500;

  /** Longest an execution event waits in the intake buffer before it is written, ms. */
  @EnvNumber({ type: 'integer', min: 1, max: 10_000 })
  TRAINER_INTAKE_FLUSH_MS = 50;

  /** Unacknowledged execution events the intake consumer may hold (bounds the buffer). */
  @EnvNumber({ type: 'integer', min: 1, max: 10_000 })
  TRAINER_INTAKE_PREFETCH = 1000;

  /** A fill whose quantity is below the signal's amount / price by more than this fraction is a partial fill. */
  @EnvNumber({ type: 'number', min: 0, max: 1 })
  TRAINER_PARTIAL_FILL_TOLERANCE = 0.01;

  // --- training --------------------------------------------------------------------------------

  // --- promotion and triggers ------------------------------------------------------------------

  /** Cron expression (UTC) for scheduled retraining of every known strategy, e.g. "0 3 * * *" (the original's "cron(0 3 * * *)" also works); empty = off. */
  @EnvCronSchedule() @IsString() @IsCronSchedule()
  MODEL_RETRAINING_SCHEDULE = '';

  /** Strategies the schedule retrains (comma-separated); unset = every strategy with executions. */
  @EnvString() @IsOptional() @Matches(/^[A-Za-z0-9_.:-]{1,100}(,[A-Za-z0-9_.:-]{1,100})*$/, { message: 'MODEL_TRAINING_STRATEGIES must be a comma-separated list of strategy ids' })
  MODEL_TRAINING_STRATEGIES?: string;

  /** New executions of a strategy since its last run that trigger retraining (0 = off). */
  @EnvNumber({ type: 'integer', min: 0, max: 100_000_000 })
  MODEL_TRAINING_DATA_THRESHOLD = 1000;

  /** Seconds between live-quality checks of every active model (0 = no monitor); hourly, as the original evaluated. */
  @EnvNumber({ type: 'number', min: 0, max: 86_400 })
  MODEL_QUALITY_CHECK_INTERVAL_SECONDS = 3600;

  /** Most model_quality_metrics rows one live check writes per model (the most telling metrics first). */
  @EnvNumber({ type: 'integer', min: 1, max: 100 })
  MODEL_QUALITY_CHECK_MAX_ROWS = 8;

  /** The live check scores the active model on executions of signals from this many seconds back. */
  @EnvNumber({ type: 'number', min: 1, max: 31_536_000 })
  MODEL_QUALITY_CHECK_WINDOW_SECONDS = 86_400;

  /** Fewest labelled recent executions for a live measurement to count. */
  @EnvNumber({ type: 'integer', min: 1, max: 10_000_000 })
  MODEL_QUALITY_CHECK_MIN_SAMPLES = 50;

  /** Live accuracy below this is a degradation (unset = MODEL_QUALITY_THRESHOLD_ACCURACY - 0.05). */
  @EnvNumber({ type: 'number', min: 0, max: 1, optional: true })
  MODEL_QUALITY_DEGRADATION_ACCURACY?: number;

  /**
   * Live rollback, judged at every quality check: an active model with at least this many labelled trades since
   * its activation (its strategy with as many warm-up trades) is rolled back when the 99.9 % interval of its mean net
   * return minus warm-up's lies wholly below zero. 0 = never; otherwise at least 10 (an interval on fewer is noise).
   */
  @EnvNumber() @ValidateIf((o: TrainerEnv) => o.MODEL_ROLLBACK_MIN_TRADES !== 0)
  @IsInt({ message: 'MODEL_ROLLBACK_MIN_TRADES must be 0 (off) or an integer of at least 10' })
  @Min(10, { message: 'MODEL_ROLLBACK_MIN_TRADES must be 0 (off) or an integer of at least 10' }) @Max(10_000_000)
  MODEL_ROLLBACK_MIN_TRADES = 50;

  // --- online updates --------------------------------------------------------------------------

  /** Fine-tune the active model on new executions (a new version through the same promotion rule). */
  @EnvBoolean()
  MODEL_ONLINE_UPDATES_ENABLED = false;

}
