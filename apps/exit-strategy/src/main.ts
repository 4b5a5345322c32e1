import { bootstrapService, runMain } from '@model-service/platform';
import { loadConfigOrExit } from '@model-service/util';

import { AppModule } from './app.module';
import { ExitStrategyEnv } from './config/exit-strategy.env';

runMain(async () => {
  const config = loadConfigOrExit(ExitStrategyEnv);
  await bootstrapService({ service: 'exit-strategy', config, module: AppModule.register(config) });
});
