// The migrations live in the repository's top-level migrations/ folder (one file each, never edited once
// landed). They are listed here explicitly, in order, so bundled apps, tests and the CLI run the same set
// (a glob would not survive bundling). migrations/ belongs to no Nx project, which the boundary rule
// reports as an "external resource"; this file is the one place allowed to reach it.
/* eslint-disable @nx/enforce-module-boundaries */
import { CreateModelTables1795308600000 } from '../../../../migrations/1795308600000-CreateModelTables';
import { CreateSignalAndExecutionTables1795308600100 } from '../../../../migrations/1795308600100-CreateSignalAndExecutionTables';
import { CreatePositionStates1795308600200 } from '../../../../migrations/1795308600200-CreatePositionStates';
import { CreateNeighbourTablesIfMissing1795308600300 } from '../../../../migrations/1795308600300-CreateNeighbourTablesIfMissing';
import { ExecutionPerformanceHourly1795308617000 } from '../../../../migrations/1795308617000-ExecutionPerformanceHourly';
import { WidenIdColumns1795308618000 } from '../../../../migrations/1795308618000-WidenIdColumns';
import { TradingSignalSideAndPrice1795308619300 } from '../../../../migrations/1795308619300-TradingSignalSideAndPrice';
import { OriginalMetricNames1795308619400 } from '../../../../migrations/1795308619400-OriginalMetricNames';
import { CreateStrategyWarmupClocks1795308619500 } from '../../../../migrations/1795308619500-CreateStrategyWarmupClocks';
import { CommandClaims1795308620000 } from '../../../../migrations/1795308620000-CommandClaims';
import { TradingSignalFeatureValues1795308620500 } from '../../../../migrations/1795308620500-TradingSignalFeatureValues';

export const MIGRATIONS = [
  CreateModelTables1795308600000,
  CreateSignalAndExecutionTables1795308600100,
  CreatePositionStates1795308600200,
  CreateNeighbourTablesIfMissing1795308600300,
  ExecutionPerformanceHourly1795308617000,
  WidenIdColumns1795308618000,
  TradingSignalSideAndPrice1795308619300,
  OriginalMetricNames1795308619400,
  CreateStrategyWarmupClocks1795308619500,
  CommandClaims1795308620000,
  TradingSignalFeatureValues1795308620500,
];

/** Name of the table TypeORM records applied migrations in (not `migrations`: the database is shared). */
export const MIGRATIONS_TABLE = 'model_service_migrations';
