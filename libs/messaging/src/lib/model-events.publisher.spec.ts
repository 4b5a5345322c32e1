import { ContractValidationError, ModelEvent, ModelEventType } from '@model-service/signals';
import { MetricsRegistry, runWithTrace } from '@model-service/util';

import { buildModelEvent, ModelEventsPublisher } from './model-events.publisher';
import { Publisher, PublishError } from './publisher';

/** Records what the publisher was asked to do; assertFanout fails while `failDeclare` is set. */
class RecordingPublisher {
  failDeclare = false;
  readonly declared: string[] = [];
  readonly sent: Array<{ exchange: string; payload: object; opts: unknown }> = [];

  async assertFanout(exchange: string): Promise<void> {
    if (this.failDeclare) throw new Error('channel closed');
    this.declared.push(exchange);
  }

  async publishToExchange(exchange: string, payload: object, opts: unknown): Promise<void> {
    this.sent.push({ exchange, payload, opts });
  }
}

const event = (over: Partial<ModelEvent> = {}): ModelEvent =>
  buildModelEvent(ModelEventType.ACTIVATED, { strategyId: 'momentum', version: 'v-2', previousVersion: 'v-1', checksum: 'sha256:ab', traceId: 'trace-1', ...over } as never);

describe('ModelEventsPublisher', () => {
  let raw: RecordingPublisher;
  let metrics: MetricsRegistry;
  let publisher: ModelEventsPublisher;

  beforeEach(() => {
    raw = new RecordingPublisher();
    metrics = new MetricsRegistry();
    publisher = new ModelEventsPublisher(raw as unknown as Publisher, 'test.model_events', metrics);
  });

  it('declares the fanout once and publishes each event with its type header and trace id, counted by type', async () => {
    await publisher.publish(event());
    await publisher.publish(buildModelEvent(ModelEventType.ROLLED_BACK, { strategyId: 'momentum', version: 'v-1', traceId: 'trace-2' }));
    expect(raw.declared).toEqual(['test.model_events']);
    expect(raw.sent.map((s) => [s.exchange, (s.payload as ModelEvent).event_type, s.opts])).toEqual([
      ['test.model_events', 'model_activated', { traceId: 'trace-1', headers: { event_type: 'model_activated' } }],
      ['test.model_events', 'model_rolled_back', { traceId: 'trace-2', headers: { event_type: 'model_rolled_back' } }],
    ]);
    expect(await metrics.text()).toMatch(/model_service_model_events_published_total\{event_type="model_activated"\} 1/);
  });

  it.each<[string, Partial<ModelEvent>]>([
    ['an unknown event type', { event_type: 'model_exploded' as never }],
    ['an empty strategy id', { strategy_id: '' }],
    ['a timestamp that is not a date', { timestamp: 'yesterday' }],
  ])('refuses %s before anything reaches the broker', async (_name, over) => {
    await expect(publisher.publish({ ...event(), ...over })).rejects.toBeInstanceOf(ContractValidationError);
    expect(raw.sent).toEqual([]);
  });

  it('a failed declaration fails the publish as a PublishError and is tried again on the next one', async () => {
    raw.failDeclare = true;
    await expect(publisher.publish(event())).rejects.toBeInstanceOf(PublishError);
    raw.failDeclare = false;
    await publisher.publish(event());
    expect(raw.declared).toEqual(['test.model_events']);
    expect(raw.sent).toHaveLength(1);
  });
});

describe('buildModelEvent', () => {
  it('fills the defaults: now, the current trace id, nulls for what is not given', () => {
    const before = Date.now();
    const built = runWithTrace('trace-ctx', () => buildModelEvent(ModelEventType.DEACTIVATED, { strategyId: 's1', version: null }));
    expect(built).toMatchObject({ event_type: 'model_deactivated', strategy_id: 's1', version: null, previous_version: null, checksum: null, metadata: null, trace_id: 'trace-ctx' });
    expect(Date.parse(built.timestamp)).toBeGreaterThanOrEqual(before);
    expect(buildModelEvent(ModelEventType.ACTIVATED, { strategyId: 's1', version: 'v', timestamp: new Date(0), traceId: null })).toMatchObject({ timestamp: '1970-01-01T00:00:00.000Z', trace_id: null });
  });
});
