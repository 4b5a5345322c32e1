/**
 * Database helpers for developer tools (the demo, benches, scripts), not for services: whole-database
 * operations and a small read pool for screens that must survive an outage. Apps use the repositories.
 */
export { migrateDatabase, postgresProblem, recreateDatabase } from './tooling/database-admin';
export type { MigrationOptions, MigrationReport } from './tooling/database-admin';
export { ReadPool } from './tooling/read-pool';
export type { ReadConnection, ReadPoolOptions } from './tooling/read-pool';
