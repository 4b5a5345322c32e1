import { MessagingModule } from '@model-service/messaging';
import { RepositoriesModule } from '@model-service/repositories';
import { ObservabilityModule } from '@model-service/util';
import { DynamicModule, Module } from '@nestjs/common';

import { ExchangeSimulatorEnv } from './config/exchange-simulator.env';

@Module({})
export class AppModule {
  static register(config: ExchangeSimulatorEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'exchange-simulator' }),
        RepositoriesModule.forRoot({ url: config.DATABASE_URL }),
        MessagingModule.forRoot({ url: config.RABBITMQ_URL, name: 'exchange-simulator-publisher' }),
      ],
      providers: [{ provide: ExchangeSimulatorEnv, useValue: config }],
      exports: [ExchangeSimulatorEnv],
    };
  }
}
