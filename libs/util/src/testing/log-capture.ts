import { Writable } from 'node:stream';

import * as winston from 'winston';

import { configureLogging, LogLevel } from '../logging/logger';

/** Log lines as the JSON logger writes them, one object per line. */
export type LogLines = Array<Record<string, unknown>>;

/** A winston transport that keeps every line it is given (as its JSON object) in `lines`. */
export function logLineSink(): { lines: LogLines; transport: winston.transport } {
  const lines: LogLines = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      cb();
    },
  });
  return { lines, transport: new winston.transports.Stream({ stream, format: winston.format.json() }) };
}

/** Routes the process-wide logger into memory, console silenced: every line from now on, as its JSON object. */
export function captureLogs(opts: { service: string; level?: LogLevel }): LogLines {
  const { lines, transport } = logLineSink();
  const root = configureLogging({ service: opts.service, level: opts.level ?? 'info', format: 'json', transports: [transport] });
  const console = root.transports[0];
  if (console) console.silent = true;
  return lines;
}
