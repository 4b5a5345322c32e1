import { MessagingModule } from '@model-service/messaging';
import { RepositoriesModule } from '@model-service/repositories';
import { ObservabilityModule } from '@model-service/util';
import { DynamicModule, Module } from '@nestjs/common';

import { ExitStrategyEnv } from './config/exit-strategy.env';

@Module({})
export class AppModule {
  static register(config: ExitStrategyEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'exit-strategy' }),
        RepositoriesModule.forRoot({ url: config.DATABASE_URL }),
        MessagingModule.forRoot({ url: config.RABBITMQ_URL, name: 'exit-strategy-publisher' }),
      ],
      providers: [{ provide: ExitStrategyEnv, useValue: config }],
      exports: [ExitStrategyEnv],
    };
  }
}
