import { topology } from '@model-service/signals';
import { ConfigValidationError, validateEnv } from '@model-service/util';

import { TrainerEnv } from './trainer.env';
import { trainingSettingsOf } from '@model-service/training';

describe('TrainerEnv', () => {
  it('has the documented defaults', () => {
    const env = validateEnv(TrainerEnv, {});
    expect(env).toMatchObject({
      MODEL_SERVICE_PORT: 4702,
      MODEL_STORAGE_PATH: './model-store',
      MODEL_TRAINING_MIN_DATASET_SIZE: 1000,
      MODEL_TRAINING_MAX_DURATION_SECONDS: 1800,
      MODEL_QUALITY_THRESHOLD_ACCURACY: 0.75,
      MODEL_RETRAINING_SCHEDULE: '',
      MODEL_TYPE: 'mlp',
      MODEL_VERSIONS_KEEP: 100,
      MODEL_ONLINE_UPDATES_ENABLED: false,
      MODEL_ROLLBACK_MIN_TRADES: 50,
    });
    expect(topology(env.QUEUE_PREFIX)).toMatchObject({
      orderEvents: 'order-manager.order_events',
      trainingCommands: 'model-service.training_commands',
      modelEventsExchange: 'model-service.model_events',
    });
  });

  it.each<[string, string]>([
    ['MODEL_RETRAINING_SCHEDULE', 'every night'],
    ['MODEL_RETRAINING_SCHEDULE', '61 * * * *'],
    ['MODEL_TYPE', 'xgboost'],
    ['MODEL_QUALITY_THRESHOLD_ACCURACY', '1.5'],
    ['MODEL_TRAINING_MIN_DATASET_SIZE', '1'],
    ['MODEL_VERSIONS_KEEP', '0'],
    ['MODEL_TRAINING_VALIDATION_FRACTION', '0.9'],
    ['TRAINER_QUEUE_PREFIX', 'bad prefix'],
    ['MODEL_ONLINE_UPDATES_ENABLED', 'maybe'],
    ['MODEL_ROLLBACK_MIN_TRADES', '9'],
    ['MODEL_ROLLBACK_MIN_TRADES', '-1'],
    ['MODEL_ROLLBACK_MIN_TRADES', '12.5'],
    ['MODEL_ROLLBACK_MIN_TRADES', 'off'],
  ])('refuses %s=%j, naming the variable', (name, value) => {
    let error: unknown;
    try {
      validateEnv(TrainerEnv, { [name]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as Error).message).toContain(name);
  });

  it.each([
    ['0', 0],
    ['10', 10],
    ['200', 200],
  ])('accepts MODEL_ROLLBACK_MIN_TRADES=%s (0 = off)', (value, parsed) => {
    expect(validateEnv(TrainerEnv, { MODEL_ROLLBACK_MIN_TRADES: value }).MODEL_ROLLBACK_MIN_TRADES).toBe(parsed);
  });

  it.each(['0 3 * * *', '*/15 * * * *', '30 */2 * * * *', ''])('accepts the schedule %j', (schedule) => {
    expect(validateEnv(TrainerEnv, { MODEL_RETRAINING_SCHEDULE: schedule }).MODEL_RETRAINING_SCHEDULE).toBe(schedule);
  });

  it.each([
    ['cron(0 2 * * *)', '0 2 * * *'],
    [' CRON( */5 * * * * ) ', '*/5 * * * *'],
  ])('unwraps the original service\'s %j form', (given, schedule) => {
    expect(validateEnv(TrainerEnv, { MODEL_RETRAINING_SCHEDULE: given }).MODEL_RETRAINING_SCHEDULE).toBe(schedule);
  });

  it('prefixes every broker name for isolated copies, and turns seconds into the settings a run uses', () => {
    const env = validateEnv(TrainerEnv, { TRAINER_QUEUE_PREFIX: 'it.x.', MODEL_TRAINING_LABEL_HORIZON_SECONDS: '60' });
    expect(topology(env.QUEUE_PREFIX).orderEvents).toBe('it.x.order-manager.order_events');
    expect(trainingSettingsOf(env)).toMatchObject({ maxDurationMs: 1_800_000, labels: { horizonMs: 60_000 }, accuracyThreshold: 0.75 });
  });
});
