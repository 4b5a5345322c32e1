import { LoggerService } from '@nestjs/common';
import * as winston from 'winston';

import { currentTraceId } from './trace-context';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export type LogFields = Record<string, unknown>;

export interface LoggingOptions {
  service: string;
  level?: LogLevel;
  /** json: one JSON object a line (production); pretty: readable (development). */
  format?: 'json' | 'pretty';
  /** Extra transport, e.g. a memory sink in tests. */
  transports?: winston.transport[];
}

/** winston stores the text under `message`; our lines carry it as `msg`, with service and trace_id. */
const shape = winston.format((info) => {
  const out = info as winston.Logform.TransformableInfo & Record<string, unknown>;
  if (out['trace_id'] === undefined) {
    const traceId = currentTraceId();
    if (traceId) out['trace_id'] = traceId;
  }
  out['msg'] = out.message;
  delete (out as Record<string, unknown>)['message'];
  return out;
});

const pretty = winston.format.printf((info) => {
  const { level, msg, timestamp, service, trace_id, context, ...rest } = info as Record<string, unknown>;
  delete rest['message'];
  const extras = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
  const trace = trace_id ? ` [${String(trace_id).slice(0, 8)}]` : '';
  const ctx = context ? ` ${String(context)}:` : '';
  return `${String(timestamp)} ${String(level).toUpperCase().padEnd(5)} ${String(service)}${trace}${ctx} ${String(msg)}${extras}`;
});

let root: winston.Logger = winston.createLogger({
  level: 'info',
  format: winston.format.combine(winston.format.timestamp(), shape(), winston.format.json()),
  defaultMeta: { service: 'model-service' },
  transports: [new winston.transports.Console()],
});

/** Configures the process-wide logger; call once in main.ts (and in tests that read log lines). */
export function configureLogging(options: LoggingOptions): winston.Logger {
  const format = options.format ?? (process.env['NODE_ENV'] === 'production' ? 'json' : 'pretty');
  root = winston.createLogger({
    level: options.level ?? 'info',
    format: winston.format.combine(
      winston.format.timestamp(),
      shape(),
      format === 'json' ? winston.format.json() : pretty,
    ),
    defaultMeta: { service: options.service },
    transports: [new winston.transports.Console({ stderrLevels: ['error'] }), ...(options.transports ?? [])],
  });
  return root;
}

/** A small structured logger bound to a context (usually the class name). */
export class Logger {
  constructor(private readonly context?: string) {}

  error(msg: string, fields?: LogFields): void {
    this.write('error', msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.write('warn', msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.write('info', msg, fields);
  }
  debug(msg: string, fields?: LogFields): void {
    this.write('debug', msg, fields);
  }

  private write(level: LogLevel, msg: string, fields?: LogFields): void {
    if (!root.isLevelEnabled(level)) return;
    const extra: LogFields = { ...fields };
    const err = extra['error'];
    if (err instanceof Error) extra['error'] = { name: err.name, message: err.message, stack: err.stack };
    root.log(level, msg, this.context ? { context: this.context, ...extra } : extra);
  }
}

/** Routes NestJS's own log lines through winston. */
export class NestWinstonLogger implements LoggerService {
  private readonly logger = new Logger('nest');
  log(message: unknown, context?: string): void {
    this.logger.info(String(message), context ? { nest_context: context } : undefined);
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error(String(message), { stack: trace, nest_context: context });
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn(String(message), context ? { nest_context: context } : undefined);
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug(String(message), context ? { nest_context: context } : undefined);
  }
  verbose(message: unknown, context?: string): void {
    this.logger.debug(String(message), context ? { nest_context: context } : undefined);
  }
}
