import { bootstrapService, runMain } from '@model-service/platform';
import { loadConfigOrExit } from '@model-service/util';

import { AppModule } from './app.module';
import { TrainerEnv } from './config/trainer.env';

runMain(async () => {
  const config = loadConfigOrExit(TrainerEnv);
  await bootstrapService({ service: 'trainer', config, module: AppModule.register(config) });
});
