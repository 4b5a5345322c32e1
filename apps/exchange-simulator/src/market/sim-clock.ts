import type { Clock } from '@model-service/util';

/**
 * Simulated time: the time of the price update being replayed. It runs faster than the wall clock
 * (SIMULATOR_SPEED) and stops while the market is paused; every timestamp the simulator writes
 * (executions, positions, orders, balances' event time, market data) is read from here.
 */
export class SimClock implements Clock {
  private current: number;

  constructor(start: number) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  /** Moves to `time`; never backwards. */
  advance(time: number): void {
    if (time > this.current) this.current = time;
  }
}
