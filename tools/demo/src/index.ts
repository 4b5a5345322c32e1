/** What other tools (the chaos suite) reuse of the demo: its app settings, process launcher and database setup. */
export { migrate, recreateDatabase } from './demo-database';
export { DEMO_APPS, demoEnvironments } from './demo-settings';
export type { DemoApp } from './demo-settings';
export { health, launchApp, stopApps, waitForHttp } from './demo-stack';
export type { RunningApp } from './demo-stack';
