import { interpretHealth } from './app-health';

const BASE = { service: 'trainer', url: 'http://trainer:4702/health', response_ms: 12 };

describe('interpretHealth', () => {
  it.each([
    ['detailed ok', 200, { status: 'ok', checks: { database: { status: 'up' }, message_queue: { status: 'up' } } }, 'ok', { database: 'up', message_queue: 'up' }],
    ['detailed degraded', 503, { status: 'degraded', checks: { database: { status: 'down', error: 'ECONNREFUSED' }, message_queue: { status: 'up' } } }, 'degraded', { database: 'down', message_queue: 'up' }],
    ['public healthy (counts are not checks)', 200, { status: 'healthy', details: { database: 'connected', model_storage: 'accessible', active_models: 2 } }, 'ok', { database: 'up', model_storage: 'up' }],
    ['public unhealthy', 503, { status: 'unhealthy', details: { database: 'disconnected', message_queue: 'connected' } }, 'degraded', { database: 'down', message_queue: 'up' }],
    ['"ok" with a non-200 status is not ok', 500, { status: 'ok', checks: {} }, 'degraded', {}],
    ['no JSON, 200', 200, null, 'ok', {}],
    ['no JSON, 502 from a proxy', 502, 'Bad Gateway', 'degraded', {}],
    ['unknown check words count as down', 200, { status: 'ok', checks: { cache: { status: 'weird' } } }, 'ok', { cache: 'down' }],
  ])('%s', (_name, httpStatus, body, status, checks) => {
    expect(interpretHealth(BASE, httpStatus, body)).toEqual({ ...BASE, status, http_status: httpStatus, checks, error: null });
  });
});
