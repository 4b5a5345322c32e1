import { INestApplication } from '@nestjs/common';

import { setupSwagger } from './swagger';

/** What main.ts and the tests both do to the Nest app before it listens. */
export function configureHttpApp(app: INestApplication): void {
  setupSwagger(app);
}
