// Unit tests of every project: pure logic, no servers.
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const projects = ['apps', 'libs', 'tools'].flatMap((dir) =>
  readdirSync(join(__dirname, dir))
    .map((name) => join(__dirname, dir, name, 'jest.config.ts'))
    .filter((file) => existsSync(file)),
);

export default { projects };
