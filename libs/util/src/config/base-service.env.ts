import { IsIn, IsOptional, IsString, Matches } from 'class-validator';

import { EnvNumber, EnvString } from './env';
import { EnvLogLevel, LOG_LEVELS } from './log-level';

/**
 * Variables every app reads. Each app's env class extends this one; names are the original
 * Python service's so operators keep their .env.
 */
export class BaseServiceEnv {
  /**
   * Old names of variables, each still read (with a warning) when the new name is not set. An app's env
   * class adds its own (see validateEnv).
   */
  static readonly renamedVariables: Readonly<Record<string, string>> = {};

  @EnvString() @IsString() @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/model_service';

  /** PostgreSQL schema to work in (default: the server's search_path, i.e. public). */
  @EnvString() @IsOptional() @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'DATABASE_SCHEMA must be a lower-case identifier' })
  DATABASE_SCHEMA?: string;

  @EnvString() @IsString() @Matches(/^amqps?:\/\//, { message: 'RABBITMQ_URL must be an amqp:// URL' })
  RABBITMQ_URL = 'amqp://guest:guest@127.0.0.1:5672';

  /**
   * Prepended to every queue and exchange name (signals' topology): empty in production, a unique string
   * where isolated copies share one broker (tests, benchmarks, the demo).
   */
  @EnvString() @IsOptional() @Matches(/^[A-Za-z0-9_.-]{1,100}$/, { message: 'QUEUE_PREFIX may hold only letters, digits, _ . -' })
  QUEUE_PREFIX?: string;

  @EnvNumber({ type: 'integer', min: 1, max: 10_000 })
  RABBITMQ_PREFETCH = 100;

  @EnvNumber({ type: 'integer', min: 0, max: 20 })
  RABBITMQ_MAX_RETRIES = 3;

  /** A consumer with a delivery unsettled this long (nothing settled meanwhile) turns /health degraded, naming the queue. */
  @EnvNumber({ type: 'integer', min: 1, max: 86_400 })
  RABBITMQ_CONSUMER_STALL_SECONDS = 60;

  @EnvNumber({ type: 'integer', min: 0, max: 65_535 })
  MODEL_SERVICE_PORT = 4700;

  /**
   * PostgreSQL cancels a statement of this app that runs longer (statement_timeout on every pooled
   * connection; the client also gives up a second later). 0 = no limit. Apps set their own default.
   */
  @EnvNumber({ type: 'integer', min: 0, max: 3_600_000 })
  DATABASE_STATEMENT_TIMEOUT_MS = 60_000;

  /** error | warn | info | debug, any case; the original's Python names (WARNING, CRITICAL, ...) are mapped. */
  @EnvLogLevel() @IsIn(LOG_LEVELS, { message: 'MODEL_SERVICE_LOG_LEVEL must be one of error, warn, info, debug (or a Python level name: CRITICAL, WARNING, ...)' })
  MODEL_SERVICE_LOG_LEVEL: 'error' | 'warn' | 'info' | 'debug' = 'info';

  @EnvString({ optional: true })
  MODEL_SERVICE_SERVICE_NAME?: string;

  @EnvString() @IsOptional() @IsIn(['json', 'pretty'])
  LOG_FORMAT?: 'json' | 'pretty';

  @EnvString({ optional: true })
  NODE_ENV?: string;
}
