import { exampleModelEvent } from '../testing/contract-examples';
import { nestedObject, rejectionOf } from '../testing/rejection';
import { parse } from '../validation/parse';
import { ModelEvent, ModelEventType } from './model.event';

const TEN_MB = 'x'.repeat(10 * 1024 * 1024);
const json = (v: unknown): string => JSON.stringify(v);

describe('ModelEvent contract', () => {
  it('accepts the example and serialises back to the same JSON', () => {
    const example = exampleModelEvent();
    expect(JSON.parse(json(parse(ModelEvent, json(example))))).toEqual(example);
  });

  it.each(Object.values(ModelEventType))('accepts event_type %s', (eventType) => {
    expect(parse(ModelEvent, exampleModelEvent({ event_type: eventType })).event_type).toBe(eventType);
  });

  it('accepts a deactivation with a null version and no optional fields', () => {
    const raw = exampleModelEvent({ event_type: 'model_deactivated', version: null, previous_version: 'v1', checksum: undefined, trace_id: undefined, metadata: undefined });
    expect(parse(ModelEvent, raw).version).toBeNull();
  });

  const cases: [string, unknown, string][] = [
    ['missing event_type', exampleModelEvent({ event_type: undefined }), 'event_type'],
    ['missing strategy_id', exampleModelEvent({ strategy_id: undefined }), 'strategy_id'],
    ['missing version (null is allowed, absence is not)', exampleModelEvent({ version: undefined }), 'version'],
    ['missing timestamp', exampleModelEvent({ timestamp: undefined }), 'timestamp'],
    ['unknown event_type', exampleModelEvent({ event_type: 'model_deleted' as never }), 'event_type'],
    ['version as a number', exampleModelEvent({ version: 3 as never }), 'version'],
    ['empty version', exampleModelEvent({ version: '' }), 'version'],
    ['checksum with a space', exampleModelEvent({ checksum: 'ab cd' }), 'checksum'],
    ['checksum of 129 characters', exampleModelEvent({ checksum: 'a'.repeat(129) }), 'checksum'],
    ['checksum as a number', exampleModelEvent({ checksum: 12 as never }), 'checksum'],
    ['bad timestamp', exampleModelEvent({ timestamp: '2026-01-01T00:00:60Z' }), 'timestamp'],
    ['NaN in metadata', exampleModelEvent({ metadata: { accuracy: NaN } }), 'metadata.accuracy'],
    ['metadata as a string', exampleModelEvent({ metadata: 'good model' as never }), 'metadata'],
    ['metadata with 101 keys', exampleModelEvent({ metadata: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i])) }), 'metadata'],
    ['metadata nested 9 levels', exampleModelEvent({ metadata: nestedObject(9) }), `metadata${'.a'.repeat(8)}`],
    ['10 MB strategy_id (object)', exampleModelEvent({ strategy_id: TEN_MB }), 'strategy_id'],
    ['10 MB string in a JSON body', json(exampleModelEvent({ strategy_id: TEN_MB })), '(body)'],
    ['non-JSON body', 'model_activated', '(body)'],
    ['empty body', '', '(body)'],
  ];

  it.each(cases)('rejects %s, naming the field', (_name, raw, field) => {
    expect(rejectionOf(ModelEvent, raw).fieldNames).toContain(field);
  });
});
