import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const API_KEY_SCHEME = 'api_key';

/** OpenAPI document at /docs/openapi.json and Swagger UI at /docs (both open, like /health). */
export function setupSwagger(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Model service ops API')
    .setDescription(
      'Operators\' API of the model service: model versions and their metrics, activation and rollback, ' +
        'training, monitoring, strategies and signals. Every endpoint under /api/v1 needs the X-API-Key header. ' +
        'Times are ISO 8601 UTC; errors are JSON { status_code, error, message, field?, trace_id }.',
    )
    .setVersion('1')
    .addApiKey({ type: 'apiKey', name: 'X-API-Key', in: 'header' }, API_KEY_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json', yamlDocumentUrl: 'docs/openapi.yaml' });
}
