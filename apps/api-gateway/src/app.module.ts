import { MessagingModule } from '@model-service/messaging';
import { RepositoriesModule } from '@model-service/repositories';
import { ObservabilityModule } from '@model-service/util';
import { DynamicModule, Module } from '@nestjs/common';

import { ApiGatewayEnv } from './config/api-gateway.env';

@Module({})
export class AppModule {
  static register(config: ApiGatewayEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'api-gateway' }),
        RepositoriesModule.forRoot({ url: config.DATABASE_URL }),
        MessagingModule.forRoot({ url: config.RABBITMQ_URL, name: 'api-gateway-publisher' }),
      ],
      providers: [{ provide: ApiGatewayEnv, useValue: config }],
      exports: [ApiGatewayEnv],
    };
  }
}
