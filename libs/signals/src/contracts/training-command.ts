import { EnumField, IdField, StrategyIdField, StringField, TimestampField } from '../validation/field-rules';

/** A request to the trainer. Usable as a value (`TrainingCommandType.TRAIN`) and as a type. */
export const TrainingCommandType = { TRAIN: 'train', CANCEL: 'cancel' } as const;
export type TrainingCommandType = (typeof TrainingCommandType)[keyof typeof TrainingCommandType];
export const TRAINING_COMMAND_TYPES: readonly TrainingCommandType[] = Object.values(TrainingCommandType);

/** Sent on `model-service.training_commands` (by the api-gateway) to start or cancel training of a strategy. */
export class TrainingCommand {
  @EnumField(TRAINING_COMMAND_TYPES) command!: TrainingCommandType;
  @StrategyIdField() strategy_id!: string;
  @StringField({ max: 500, optional: true }) reason?: string | null;
  @StringField({ max: 100, optional: true }) requested_by?: string | null;
  @TimestampField() timestamp!: string;
  @IdField({ optional: true }) trace_id?: string | null;
  /** Identifies the command (the api-gateway sends a UUID): a command delivered again with the same id has no effect. */
  @IdField({ optional: true }) command_id?: string | null;
}
