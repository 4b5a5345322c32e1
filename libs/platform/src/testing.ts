export { buildApp, freePort, spawnApp, waitForHttp } from './app-process.testing';
export type { AppProcess } from './app-process.testing';
export { describeServiceStartup } from './service-startup.testing';
export { describePoisonAcceptance, INCIDENT_POISON, runPoisonDrill } from './poison-acceptance.testing';
export type { PoisonAppSetup, PoisonDrillFigures, PoisonTarget } from './poison-acceptance.testing';
