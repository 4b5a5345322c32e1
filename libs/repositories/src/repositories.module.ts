import { DynamicModule, Global, Inject, Module, OnApplicationShutdown, Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { BaseServiceEnv, HealthRegistry, Logger, sleep } from '@model-service/util';

import { createDataSource } from './database/create-data-source';
import { ensureDatabase, redactUrl } from './database/ensure-database';
import { UnitOfWork } from './database/unit-of-work';
import { DecisionAccountRepository } from './queries/decision-account.repository';
import { ExecutedDecisionRepository } from './queries/executed-decision.repository';
import { OperationsReadRepository } from './queries/operations-read.repository';
import { SignalFlowRepository } from './queries/signal-flow.repository';
import { AccountBalanceRepository } from './repositories/account-balance.repository';
import { CommandClaimRepository } from './repositories/command-claim.repository';
import { ExecutionEventRepository } from './repositories/execution-event.repository';
import { ModelVersionRepository } from './repositories/model-version.repository';
import { OrderRepository } from './repositories/order.repository';
import { PositionStateRepository } from './repositories/position-state.repository';
import { PositionRepository } from './repositories/position.repository';
import { QualityMetricRepository } from './repositories/quality-metric.repository';
import { TradingSignalRepository } from './repositories/trading-signal.repository';
import { TrainingRunRepository } from './repositories/training-run.repository';
import { WarmupClockRepository } from './repositories/warmup-clock.repository';

export interface RepositoriesModuleOptions {
  url: string;
  schema?: string;
  logging?: boolean;
  poolSize?: number;
  applicationName?: string;
  /** Connection attempts at start-up before giving up (default 5, 1 s apart). */
  connectAttempts?: number;
  /** Create the database when missing (default true). */
  ensureDatabase?: boolean;
  /** statement_timeout and client query timeout of every pooled connection (0/unset = none). */
  statementTimeoutMs?: number;
}

const REPOSITORIES = [
  ModelVersionRepository,
  QualityMetricRepository,
  TradingSignalRepository,
  ExecutionEventRepository,
  TrainingRunRepository,
  PositionStateRepository,
  AccountBalanceRepository,
  OrderRepository,
  PositionRepository,
  DecisionAccountRepository,
  ExecutedDecisionRepository,
  WarmupClockRepository,
  CommandClaimRepository,
  OperationsReadRepository,
  SignalFlowRepository,
  UnitOfWork,
] as const;

/** The database variables of a service's environment (BaseServiceEnv has them). */
export type DatabaseEnv = Pick<BaseServiceEnv, 'DATABASE_URL' | 'DATABASE_SCHEMA' | 'DATABASE_STATEMENT_TIMEOUT_MS'>;

const HEALTH_HOOK = Symbol('REPOSITORIES_HEALTH_HOOK');
const logger = new Logger('Repositories');

/**
 * Provides the DataSource, every repository and the UnitOfWork to the whole app (@Global), registers a `database`
 * check on HealthRegistry when the app has one, and destroys the DataSource on shutdown.
 */
@Global()
@Module({})
export class RepositoriesModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * forRoot from a service's environment (DATABASE_URL, DATABASE_SCHEMA, DATABASE_STATEMENT_TIMEOUT_MS), the
   * connections named after the service; `schema` overrides the environment's.
   */
  static forService(service: string, env: DatabaseEnv, overrides: { schema?: string } = {}): DynamicModule {
    return RepositoriesModule.forRoot({
      url: env.DATABASE_URL,
      schema: overrides.schema ?? env.DATABASE_SCHEMA,
      applicationName: service,
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
    });
  }

  static forRoot(options: RepositoriesModuleOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: DataSource, useFactory: () => connect(options) },
      ...REPOSITORIES.map(
        (Repo): Provider => ({ provide: Repo, useFactory: (ds: DataSource) => new Repo(ds), inject: [DataSource] }),
      ),
      {
        provide: HEALTH_HOOK,
        useFactory: (ds: DataSource, health?: HealthRegistry) => {
          health?.registerCheck('database', () => databaseCheck(ds));
          return true;
        },
        inject: [DataSource, { token: HealthRegistry, optional: true }],
      },
    ];
    return { module: RepositoriesModule, providers, exports: [DataSource, ...REPOSITORIES] };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

async function connect(options: RepositoriesModuleOptions): Promise<DataSource> {
  const attempts = Math.max(1, options.connectAttempts ?? 5);
  for (let attempt = 1; ; attempt++) {
    try {
      if (options.ensureDatabase !== false) await ensureDatabase(options.url);
      const ds = createDataSource(options);
      await ds.initialize();
      logger.info('database connected', { url: redactUrl(options.url), schema: options.schema ?? 'public' });
      return ds;
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      if (attempt >= attempts) {
        logger.error('database connection failed', { url: redactUrl(options.url), attempt, error });
        throw err;
      }
      logger.warn('database connection failed, retrying', { url: redactUrl(options.url), attempt, error });
      await sleep(1_000);
    }
  }
}

/** Exported for tests: `SELECT 1` through the pool. */
export async function databaseCheck(ds: DataSource): Promise<{ ok: boolean; [k: string]: unknown }> {
  const started = Date.now();
  try {
    await ds.query('SELECT 1');
    return { ok: true, latency_ms: Date.now() - started };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
