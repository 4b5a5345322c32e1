import { Writable } from 'node:stream';

import { configureLogging, LogLevel } from '@model-service/util';
import * as winston from 'winston';

/** Routes the process-wide logger into memory (console silenced): every line as its JSON object. */
export function captureLogs(level: LogLevel = 'info'): Array<Record<string, unknown>> {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      cb();
    },
  });
  const root = configureLogging({
    service: 'signal-generator-test',
    level,
    format: 'json',
    transports: [new winston.transports.Stream({ stream: sink, format: winston.format.json() })],
  });
  const console = root.transports[0];
  if (console) console.silent = true;
  return lines;
}
