import { MessagingModule } from '@model-service/messaging';
import { RepositoriesModule } from '@model-service/repositories';
import { ObservabilityModule } from '@model-service/util';
import { DynamicModule, Module } from '@nestjs/common';

import { TrainerEnv } from './config/trainer.env';

@Module({})
export class AppModule {
  static register(config: TrainerEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'trainer' }),
        RepositoriesModule.forRoot({ url: config.DATABASE_URL }),
        MessagingModule.forRoot({ url: config.RABBITMQ_URL, name: 'trainer-publisher' }),
      ],
      providers: [{ provide: TrainerEnv, useValue: config }],
      exports: [TrainerEnv],
    };
  }
}
