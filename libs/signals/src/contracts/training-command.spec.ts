import { exampleTrainingCommand } from '../testing/contract-examples';
import { nestedObject, rejectionOf } from '../testing/rejection';
import { parse } from '../validation/parse';
import { TrainingCommand } from './training-command';

const TEN_MB = 'x'.repeat(10 * 1024 * 1024);
const json = (v: unknown): string => JSON.stringify(v);

describe('TrainingCommand contract', () => {
  it('accepts the example and serialises back to the same JSON', () => {
    const example = exampleTrainingCommand();
    expect(JSON.parse(json(parse(TrainingCommand, Buffer.from(json(example)))))).toEqual(example);
  });

  it('accepts a bare cancel command', () => {
    const raw = exampleTrainingCommand({ command: 'cancel', reason: undefined, requested_by: undefined, trace_id: undefined });
    expect(parse(TrainingCommand, raw).command).toBe('cancel');
  });

  const cases: [string, unknown, string][] = [
    ['missing command', exampleTrainingCommand({ command: undefined }), 'command'],
    ['missing strategy_id', exampleTrainingCommand({ strategy_id: undefined }), 'strategy_id'],
    ['missing timestamp', exampleTrainingCommand({ timestamp: undefined }), 'timestamp'],
    ['unknown command', exampleTrainingCommand({ command: 'retrain' as never }), 'command'],
    ['upper-case command', exampleTrainingCommand({ command: 'TRAIN' as never }), 'command'],
    ['command as a boolean', exampleTrainingCommand({ command: true as never }), 'command'],
    ['empty strategy_id', exampleTrainingCommand({ strategy_id: '' }), 'strategy_id'],
    ['reason of 501 chars', exampleTrainingCommand({ reason: 'r'.repeat(501) }), 'reason'],
    ['bad timestamp', exampleTrainingCommand({ timestamp: 'now' }), 'timestamp'],
    ['trace_id with spaces', exampleTrainingCommand({ trace_id: 'a b' }), 'trace_id'],
    ['Infinity in an extra field', exampleTrainingCommand({ priority: Infinity }), 'priority'],
    ['an unknown field nested 9 levels', exampleTrainingCommand({ options: nestedObject(9) }), `options${'.a'.repeat(8)}`],
    ['10 MB reason (object)', exampleTrainingCommand({ reason: TEN_MB }), 'reason'],
    ['10 MB string in a JSON body', json(exampleTrainingCommand({ reason: TEN_MB })), '(body)'],
    ['non-JSON body', '{command: train}', '(body)'],
    ['empty body', Buffer.alloc(0), '(body)'],
  ];

  it.each(cases)('rejects %s, naming the field', (_name, raw, field) => {
    expect(rejectionOf(TrainingCommand, raw).fieldNames).toContain(field);
  });
});
