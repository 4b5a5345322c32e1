import { EnumField, FreeFormObjectField, IdField, StrategyIdField, StringField, TimestampField } from '../validation/field-rules';

/** What happened to a strategy's model. Usable as a value (`ModelEventType.ACTIVATED`) and as a type. */
export const ModelEventType = {
  ACTIVATED: 'model_activated',
  ROLLED_BACK: 'model_rolled_back',
  DEACTIVATED: 'model_deactivated',
  TRAINED: 'model_trained',
} as const;
export type ModelEventType = (typeof ModelEventType)[keyof typeof ModelEventType];
export const MODEL_EVENT_TYPES: readonly ModelEventType[] = Object.values(ModelEventType);

/** Published on the `model-service.model_events` fanout exchange; every signal-generator replica listens. */
export class ModelEvent {
  @EnumField(MODEL_EVENT_TYPES) event_type!: ModelEventType;
  @StrategyIdField() strategy_id!: string;
  /** The version now in effect (activated / rolled back to / trained); null when none is (deactivated). */
  @StringField({ max: 128, nullable: true }) version!: string | null;
  @StringField({ max: 128, optional: true }) previous_version?: string | null;
  /**
   * model_versions.checksum of `version` (the combined sha256 of its files). A follower that cannot read
   * model_versions verifies the files against this value; without it such an event is not followed.
   */
  @IdField({ optional: true }) checksum?: string | null;
  @TimestampField() timestamp!: string;
  @IdField({ optional: true }) trace_id?: string | null;
  @FreeFormObjectField({ optional: true }) metadata?: Record<string, unknown> | null;
}
