export { buildApp, freePort, spawnApp, waitForHttp } from './app-process.testing';
export type { AppProcess } from './app-process.testing';
export { describeServiceStartup } from './service-startup.testing';
