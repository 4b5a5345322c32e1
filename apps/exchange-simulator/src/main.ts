import { bootstrapService, runMain } from '@model-service/platform';
import { loadConfigOrExit } from '@model-service/util';

import { AppModule } from './app.module';
import { ExchangeSimulatorEnv } from './config/exchange-simulator.env';

runMain(async () => {
  const config = loadConfigOrExit(ExchangeSimulatorEnv);
  await bootstrapService({ service: 'exchange-simulator', config, module: AppModule.register(config) });
});
