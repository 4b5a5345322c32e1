import { MessagingModule } from '@model-service/messaging';
import { RepositoriesModule } from '@model-service/repositories';
import { ObservabilityModule } from '@model-service/util';
import { DynamicModule, Module } from '@nestjs/common';

import { SignalGeneratorEnv } from './config/signal-generator.env';

@Module({})
export class AppModule {
  static register(config: SignalGeneratorEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'signal-generator' }),
        RepositoriesModule.forRoot({ url: config.DATABASE_URL }),
        MessagingModule.forRoot({ url: config.RABBITMQ_URL, name: 'signal-generator-publisher' }),
      ],
      providers: [{ provide: SignalGeneratorEnv, useValue: config }],
      exports: [SignalGeneratorEnv],
    };
  }
}
