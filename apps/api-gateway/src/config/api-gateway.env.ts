import { BaseServiceEnv, EnvBoolean, EnvCronSchedule, EnvNumber, EnvString } from '@model-service/util';
import { IsNotEmpty, IsString, Matches, ValidateIf } from 'class-validator';

import { IsCronExpression, NotTrueInProduction, StrongKeysInProduction } from './env-rules';

/** Environment of the api-gateway app; every variable is listed with its default in .env.example. */
export class ApiGatewayEnv extends BaseServiceEnv {
  override MODEL_SERVICE_PORT = 4700;
  /** One request must not pin the database: its queries are cut after 5 s. */
  override DATABASE_STATEMENT_TIMEOUT_MS = 5_000;

  /**
   * The X-API-Key callers must send (every endpoint but /health, /metrics and /docs). Several keys may be
   * given, comma-separated, to rotate them; each key has its own rate limit. Required unless
   * MODEL_SERVICE_ALLOW_NO_API_KEY is true. With NODE_ENV=production every key must have at least
   * 32 characters and differ from the example value.
   */
  @EnvString()
  @ValidateIf((o: ApiGatewayEnv) => !o.MODEL_SERVICE_ALLOW_NO_API_KEY || o.MODEL_SERVICE_API_KEY !== undefined)
  @IsString({ message: 'MODEL_SERVICE_API_KEY is required (or set MODEL_SERVICE_ALLOW_NO_API_KEY=true in development)' })
  @IsNotEmpty({ message: 'MODEL_SERVICE_API_KEY must not be empty' })
  @Matches(/^[^,\s]+(\s*,\s*[^,\s]+)*$/, { message: 'MODEL_SERVICE_API_KEY must be one key or comma-separated keys without spaces inside' })
  @StrongKeysInProduction()
  MODEL_SERVICE_API_KEY?: string;

  /** Development only: run without API-key authentication when no key is set. Refused when NODE_ENV=production. */
  @EnvBoolean() @NotTrueInProduction()
  MODEL_SERVICE_ALLOW_NO_API_KEY = false;

  /** Requests per minute each API key may make; 0 = no per-key limit. */
  @EnvNumber({ type: 'integer', min: 0, max: 1_000_000 })
  MODEL_SERVICE_API_RATE_LIMIT = 600;

  /** Requests an API key may make within any one second (bursts); applies while MODEL_SERVICE_API_RATE_LIMIT > 0. */
  @EnvNumber({ type: 'integer', min: 1, max: 1_000_000 })
  MODEL_SERVICE_API_RATE_LIMIT_BURST = 60;

  /** Requests per minute from one client address, before authentication and on every route; 0 = off. */
  @EnvNumber({ type: 'integer', min: 0, max: 1_000_000 })
  MODEL_SERVICE_API_CLIENT_RATE_LIMIT = 1200;

  /** Requests with a missing or wrong X-API-Key one client address may make per minute before it is refused (429) for a minute; 0 = off. */
  @EnvNumber({ type: 'integer', min: 0, max: 1_000_000 })
  MODEL_SERVICE_API_AUTH_FAILURE_LIMIT = 20;

  /** Longest time window (start_time to end_time) a request may ask for, in days; longer ones are refused with 400. */
  @EnvNumber({ type: 'integer', min: 1, max: 3_650 })
  MODEL_SERVICE_API_MAX_WINDOW_DAYS = 90;

  /** Model store; /health reports it and activation refuses a version whose files are missing there. */
  @EnvString() @IsString() @IsNotEmpty()
  MODEL_STORAGE_PATH = './model-store';

  /** The trainer's retraining schedule (cron, UTC), read to show next_scheduled_training; empty = none. */
  @EnvCronSchedule() @IsString() @IsCronExpression()
  MODEL_RETRAINING_SCHEDULE = '';

  /** signal-generator's setting, read here for GET /api/v1/monitoring/health's warmup_mode_enabled (one .env serves both). */
  @EnvBoolean()
  WARMUP_MODE_ENABLED = true;

  /**
   * The trainer's label settings, read here so GET /api/v1/strategies/performance/by-mode labels model-mode and
   * warm-up entries exactly as the trainer labels its rows (one .env serves both): horizon in seconds, the exit
   * fee assumed when marking to market, and the net return above which a trade counts as a win.
   */
  @EnvNumber({ type: 'number', min: 0, max: 2_592_000 })
  MODEL_TRAINING_LABEL_HORIZON_SECONDS = 900;

  @EnvNumber({ type: 'number', min: 0, max: 0.1 })
  MODEL_TRAINING_EXIT_FEE_RATE = 0.001;

  @EnvNumber({ type: 'number', min: -1, max: 1 })
  MODEL_TRAINING_MIN_RETURN = 0;

  /** signal-generator's HTTP base URL; its /metrics supplies the skip counts of GET /api/v1/strategies. Unset = not asked. */
  @EnvString({ optional: true, httpUrl: true })
  SIGNAL_GENERATOR_URL?: string;

  /** The trainer's HTTP base URL; its /health is shown by GET /api/v1/monitoring/services (and the dashboard). Unset = not asked. */
  @EnvString({ optional: true, httpUrl: true })
  TRAINER_URL?: string;

  /** exit-strategy's HTTP base URL, for the same health view. Unset = not asked. */
  @EnvString({ optional: true, httpUrl: true })
  EXIT_STRATEGY_URL?: string;
}
