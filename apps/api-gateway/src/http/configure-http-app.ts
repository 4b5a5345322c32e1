import { HttpException, INestApplication } from '@nestjs/common';
import { json } from 'express';
import type { Express, NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

import { serveDashboard } from '../dashboard/dashboard-static';
import { httpStackError } from './api-exception.filter';
import { setupSwagger } from './swagger';

const JSON_BODY_LIMIT = '100kb';

/**
 * The JSON body parser, ahead of Nest's own (which then skips the parsed request): its errors become
 * HttpExceptions with this API's body (413, 415, 400 "not valid JSON") instead of the parser's text.
 */
function jsonBodies(): (req: Request, res: Response, next: NextFunction) => void {
  const parse = json({ limit: JSON_BODY_LIMIT });
  return (req, res, next) =>
    parse(req, res, (err?: unknown) => {
      if (err === undefined || err === null) return next();
      const body = httpStackError(err);
      next(body ? new HttpException(body, body.status_code) : err);
    });
}

/** What main.ts and the tests both do to the Nest app before it listens. */
export function configureHttpApp(app: INestApplication): void {
  const express = app.getHttpAdapter().getInstance() as Express;
  express.disable('x-powered-by');
  // helmet's defaults suit a JSON API; its CSP (script-src 'self', inline styles, data: images) also
  // lets the Swagger page at /docs load its bundled script and styles.
  app.use(helmet({ crossOriginEmbedderPolicy: false }));
  // The ops dashboard's static files, with a stricter CSP of their own (no API key needed to load the page).
  serveDashboard(app);
  app.use(jsonBodies());
  setupSwagger(app);
}
