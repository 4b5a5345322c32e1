export { bootstrapService, runMain } from './bootstrap-service';
export type { BootstrapOptions, RunningService } from './bootstrap-service';
export { serviceModules } from './service-modules';
export type { ServiceModulesOptions } from './service-modules';
export { serviceAppModule } from './service-app-module';
export type { ServiceAppModuleParts } from './service-app-module';
export { APP_NODE_FLAGS } from './app-node-flags';
