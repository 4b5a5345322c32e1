/**
 * npm run dataset:export -- --strategy <id> --out <file.csv>
 *
 * Writes exactly the dataset a full training run of the strategy would use now: executions joined to their
 * signals, features from each signal's market_data_snapshot (raw, by name, in feature-set order), the label
 * (1 = profitable after fees), the net return (fraction), the signal timestamp and the split the run applies
 * (train / embargo / validation). Configuration as the trainer's: DATABASE_URL, DATABASE_SCHEMA,
 * MODEL_TRAINING_VALIDATION_FRACTION, MODEL_TRAINING_LABEL_HORIZON_SECONDS, ... Exits non-zero on failure.
 */
import 'reflect-metadata';

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';

import { createDataSource, ExecutionEventRepository, TradingSignalRepository } from '@model-service/repositories';
import { loadConfigOrExit } from '@model-service/util';

import { datasetCsvHeader, datasetCsvRow, loadRunDataset, repositoryBounds, TrainingEnv, trainingSettingsOf } from '@model-service/training';

interface Args {
  strategy: string;
  out: string;
}

const USAGE = 'usage: npm run dataset:export -- --strategy <id> --out <file.csv>';

function readArgs(argv: string[]): Args {
  const { values } = parseArgs({ args: argv, options: { strategy: { type: 'string' }, out: { type: 'string' } }, strict: true, allowPositionals: false });
  if (!values.strategy || !values.out) throw new Error(USAGE);
  return { strategy: values.strategy, out: values.out };
}

async function main(): Promise<void> {
  const args = readArgs(process.argv.slice(2));
  const env = loadConfigOrExit(TrainingEnv);
  const dataSource = createDataSource({ url: env.DATABASE_URL, schema: env.DATABASE_SCHEMA, applicationName: 'dataset-export', poolSize: 4 });
  await dataSource.initialize();
  try {
    const settings = trainingSettingsOf(env);
    const executions = new ExecutionEventRepository(dataSource);
    const bounds = repositoryBounds(executions, new TradingSignalRepository(dataSource));
    const { dataset, stats, plan } = await loadRunDataset(executions, { strategyId: args.strategy }, settings, { readers: settings.datasetReaders, bounds });
    const out = createWriteStream(args.out);
    const write = async (line: string): Promise<void> => {
      if (!out.write(`${line}\n`)) await once(out, 'drain');
    };
    await write(datasetCsvHeader(dataset));
    for (let i = 0; i < dataset.n; i++) await write(datasetCsvRow(dataset, plan, i));
    out.end();
    await once(out, 'finish');
    const summary = {
      strategy_id: args.strategy,
      out: args.out,
      rows: dataset.n,
      features: dataset.nFeatures,
      feature_set_version: dataset.feature_set_version,
      train_rows: plan.trainEnd,
      embargo_rows: plan.validationStart - plan.trainEnd,
      validation_rows: plan.n - plan.validationStart,
      executions_read: stats.rowsRead,
      unlabelled: stats.unlabelled,
      skipped: stats.skipped,
      below_min_dataset_size: dataset.n < settings.minDatasetSize,
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`dataset export failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
