export { Consumer, DEFAULT_STALL_AFTER_MS } from './lib/consumer';
export { ConsumerHost, RABBITMQ_CONSUMER_TRANSPORT } from './lib/consumer-host';
export type { ConsumerHostOptions, HandlerSpec } from './lib/consumer-host';
export type { ConsumerOptions, ConsumerSpec, MessageContext, MessageHandler } from './lib/consumer.types';
export { DeadLetterAdmin } from './lib/dead-letter/dead-letter-admin';
export type { DeadLetterQueueInfo, RedriveResult, ShownDeadLetter } from './lib/dead-letter/dead-letter-admin';
export { describeDeadLetter, redriveHeaders } from './lib/dead-letter/dead-letter-record';
export type { DeadLetterRecord } from './lib/dead-letter/dead-letter-record';
export { decodeMessage, describeParseFailure, formatValidationErrors } from './lib/message-decoder';
export type { DecodeResult, MessageParser, MessageSchema } from './lib/message-decoder';
export {
  isValidTraceId,
  MAX_REASON_LENGTH,
  DEATH_REASON_HEADER,
  FAILED_AT_HEADER,
  ORIGINAL_QUEUE_HEADER,
  RETRY_COUNT_HEADER,
  TRACE_ID_HEADER,
} from './lib/message-headers';
export { MESSAGING_OPTIONS, MessagingLifecycle, MessagingModule } from './lib/messaging.module';
export { buildModelEvent, ModelEventsPublisher } from './lib/model-events.publisher';
export type { ModelEventFields } from './lib/model-events.publisher';
export type { MessagingModuleOptions } from './lib/messaging.module';
export { Publisher, PublishError } from './lib/publisher';
export type { PublisherOptions, PublishOptions } from './lib/publisher';
export { RabbitConnection, redactUrl } from './lib/rabbit-connection';
export type { RabbitConnectionOptions } from './lib/rabbit-connection';
export { isTransientError } from './lib/transient-error';
export { MAX_SETTLE_ATTEMPTS } from './lib/queue-processor';
export {
  declareSignalRoute,
  openSignalRoute,
  PUBLISHED_AT_HEADER,
  publishedAtOf,
  publishSignal,
  SignalRecordWriter,
  signalRouteOf,
} from './lib/signal-records';
export type { SignalRecordWriterOptions, SignalRoute } from './lib/signal-records';
