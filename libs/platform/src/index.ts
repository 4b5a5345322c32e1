export { bootstrapService, runMain } from './bootstrap-service';
export type { BootstrapOptions, RunningService } from './bootstrap-service';
