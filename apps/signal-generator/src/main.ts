import { bootstrapService, runMain } from '@model-service/platform';
import { loadConfigOrExit } from '@model-service/util';

import { AppModule } from './app.module';
import { SignalGeneratorEnv } from './config/signal-generator.env';

runMain(async () => {
  const config = loadConfigOrExit(SignalGeneratorEnv);
  await bootstrapService({ service: 'signal-generator', config, module: AppModule.register(config) });
});
