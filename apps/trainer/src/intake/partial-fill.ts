import type { SignalFacts } from '@model-service/repositories';

export type { SignalFacts };

/**
 * A fill is partial when its quantity falls short of the signal's intended quantity (amount / price, with the
 * signal's price, else the execution's signal_price) by more than `tolerance` (a fraction). Without a known
 * signal or a usable price nothing can be said: false.
 */
export function isPartialFill(
  fill: { execution_quantity: number; signal_price?: number | null },
  signal: SignalFacts | undefined,
  tolerance: number,
): boolean {
  if (!signal || !(signal.amount > 0)) return false;
  const price = signal.price !== null && signal.price > 0 ? signal.price : (fill.signal_price ?? 0);
  if (!(price > 0) || !(fill.execution_quantity > 0)) return false;
  const intended = signal.amount / price;
  return fill.execution_quantity < intended * (1 - tolerance);
}
