import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { APP_NODE_FLAGS } from './app-node-flags';

describe('APP_NODE_FLAGS', () => {
  it('are the flags the Docker image starts every app with, so the benches measure what production runs', () => {
    const dockerfile = readFileSync(join(__dirname, '../../../docker/Dockerfile'), 'utf8');
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile);
    expect(cmd).not.toBeNull();
    expect(JSON.parse(cmd![1])).toEqual(['node', ...APP_NODE_FLAGS, 'main.js']);
  });
});
