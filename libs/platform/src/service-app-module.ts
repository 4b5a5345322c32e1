import { BaseServiceEnv } from '@model-service/util';
import { DynamicModule, ModuleMetadata, Provider, Type } from '@nestjs/common';

import { serviceModules } from './service-modules';

export interface ServiceAppModuleParts<E extends BaseServiceEnv> extends Pick<ModuleMetadata, 'controllers' | 'exports'> {
  /** The service's name (metrics, logs, connection names): MODEL_SERVICE_SERVICE_NAME or the app's own. */
  service: string;
  /** The service's environment class, provided (and exported) as the validated `config`. */
  env: Type<E>;
  config: E;
  /** The app's own providers, after the environment. */
  providers: Provider[];
}

/**
 * The root module of a queue-consuming service: the infrastructure every service imports (serviceModules),
 * its environment provided and exported under its class, then the app's own controllers, providers and exports.
 */
export function serviceAppModule<E extends BaseServiceEnv>(module: Type<unknown>, parts: ServiceAppModuleParts<E>): DynamicModule {
  const { service, env, config, controllers = [], providers, exports = [] } = parts;
  return {
    module,
    imports: serviceModules(service, config, { consume: true }),
    controllers,
    providers: [{ provide: env, useValue: config }, ...providers],
    exports: [env, ...exports],
  };
}
