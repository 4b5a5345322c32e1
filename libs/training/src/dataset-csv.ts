import type { Dataset } from '@model-service/features';

import { SplitPlan, splitOf } from './training-split';

/** CSV header: every feature by name, then the label, the net return, the signal time and the split. */
export function datasetCsvHeader(dataset: Pick<Dataset, 'names'>): string {
  return [...dataset.names, 'label', 'return', 'signal_timestamp', 'split'].map(csvField).join(',');
}

/** Float32 values printed with 9 significant digits: enough to read back the exact value trained on. */
function num(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(9)));
}

/** Row `i` as one CSV line (raw, un-normalised features, exactly as the run's dataset holds them). */
export function datasetCsvRow(dataset: Dataset, plan: SplitPlan, i: number): string {
  const nf = dataset.nFeatures;
  const parts: string[] = new Array(nf + 4);
  for (let j = 0; j < nf; j++) parts[j] = num(dataset.X[i * nf + j]);
  parts[nf] = num(dataset.y[i]);
  parts[nf + 1] = num(dataset.returns[i]);
  parts[nf + 2] = new Date(dataset.timestamps[i]).toISOString();
  parts[nf + 3] = splitOf(plan, i);
  return parts.join(',');
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
