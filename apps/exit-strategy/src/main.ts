import { bootstrapService, runMain } from '@model-service/platform';
import { loadConfigOrExit } from '@model-service/util';

import { AppModule } from './app.module';
import { ExitStrategyEnv } from './config/exit-strategy.env';

runMain(async () => {
  const config = loadConfigOrExit(ExitStrategyEnv);
  // The app consumes position updates through its own Consumer (queue names configurable, and the
  // fallback needs to see the consumer's connection), not through the @EventPattern transport.
  await bootstrapService({ service: 'exit-strategy', config, module: AppModule.register(config), consumes: false });
});
