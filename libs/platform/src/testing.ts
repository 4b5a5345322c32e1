export { buildApp, freePort, spawnApp, waitForHttp } from './app-process.testing';
export type { AppProcess } from './app-process.testing';
export { describeServiceStartup } from './service-startup.testing';
export { describeAppPoisonAcceptance, describePoisonAcceptance, INCIDENT_POISON, queueTarget, runPoisonDrill } from './poison-acceptance.testing';
export type { PoisonAppPart, PoisonAppSetup, PoisonDrillFigures, PoisonTarget } from './poison-acceptance.testing';
