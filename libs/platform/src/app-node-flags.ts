/**
 * Node flags every app runs with, in the Docker image (docker/Dockerfile CMD), the demo and the benches.
 * A 32 MB young-generation semi-space (V8's default is 16 MB): message handling allocates many short-lived
 * objects, and with the smaller space enough of them survive a scavenge to be promoted, which later costs
 * old-generation collections that stall the event loop for milliseconds. bench:exit-latency at load 1.2–2.2, three
 * runs each: p99 6.7 / 12.0 / 7.6 ms (median 7.6) with the flag, 13.7 / 18.4 / 9.1 ms (median 13.7) without.
 * bench:signal-latency showed no clear change (p99 medians ~13–15 ms either way).
 */
export const APP_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
