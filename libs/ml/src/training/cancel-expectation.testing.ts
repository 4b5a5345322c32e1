import { TrainingCancelledError } from './training-errors';

/**
 * Starts a training run whose first progress report aborts it, and expects the run to reject with
 * TrainingCancelledError less than a second after the abort.
 */
export async function expectCancelledWithinASecond(start: (opts: { signal: AbortSignal; onProgress: () => void }) => Promise<unknown>): Promise<void> {
  const controller = new AbortController();
  let abortedAt = 0;
  const run = start({
    signal: controller.signal,
    onProgress: () => {
      if (!abortedAt) {
        abortedAt = Date.now();
        controller.abort();
      }
    },
  });
  await expect(run).rejects.toBeInstanceOf(TrainingCancelledError);
  expect(abortedAt).toBeGreaterThan(0);
  expect(Date.now() - abortedAt).toBeLessThan(1_000);
}
