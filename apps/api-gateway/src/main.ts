import { bootstrapService, runMain } from '@model-service/platform';
import { loadConfigOrExit } from '@model-service/util';

import { AppModule } from './app.module';
import { ApiGatewayEnv } from './config/api-gateway.env';

runMain(async () => {
  const config = loadConfigOrExit(ApiGatewayEnv);
  await bootstrapService({ service: 'api-gateway', config, module: AppModule.register(config) });
});
