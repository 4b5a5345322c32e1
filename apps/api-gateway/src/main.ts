import { bootstrapService, runMain } from '@model-service/platform';
import { loadConfigOrExit, Logger } from '@model-service/util';

import { AppModule } from './app.module';
import { ApiGatewayEnv } from './config/api-gateway.env';
import { parseApiKeys } from './http/api-key-verifier';
import { configureHttpApp } from './http/configure-http-app';

runMain(async () => {
  const config = loadConfigOrExit(ApiGatewayEnv);
  await bootstrapService({
    service: 'api-gateway',
    config,
    module: AppModule.register(config),
    beforeListen: (app) => {
      configureHttpApp(app);
      warnAboutKeys(config);
    },
  });
});

function warnAboutKeys(config: ApiGatewayEnv): void {
  const log = new Logger('auth');
  const keys = parseApiKeys(config.MODEL_SERVICE_API_KEY);
  if (keys.length === 0) {
    log.warn('MODEL_SERVICE_ALLOW_NO_API_KEY is true and no MODEL_SERVICE_API_KEY is set: the API is open to anyone who can reach it');
  } else if (keys.some((k) => k.length < 16 || k === 'change-me')) {
    log.warn('MODEL_SERVICE_API_KEY looks weak (shorter than 16 characters or the example value); use a long random value');
  }
}
