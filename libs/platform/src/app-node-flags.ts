/**
 * Node flags every app runs with, in the Docker image (docker/Dockerfile CMD), the demo and the benches.
 * A 32 MB young-generation semi-space (V8's default is 16 MB): message handling allocates many short-lived
 * objects, and with the smaller space enough of them survive a scavenge to be promoted, which later costs
 * old-generation collections that stall the event loop for milliseconds. Measured with the benches at load
 * 1.1–1.4: exit-latency p99 7.5 / 10.9 ms (13.7 / 18.4 / 9.1 without), signal-latency p99 7.4 ms (13.7–16.5 without).
 */
export const APP_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
