import { MODEL_EVENT_TYPES } from '@model-service/signals';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { ModelVersionDto } from './model-version.dto';

class ModelEventDto {
  @ApiProperty({ enum: MODEL_EVENT_TYPES }) event_type!: string;
  @ApiProperty() strategy_id!: string;
  @ApiProperty({ nullable: true, type: String }) version!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) previous_version?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: "model_versions.checksum of `version` (followers verify the files against it while their database is down)" })
  checksum?: string | null;
  @ApiProperty({ format: 'date-time' }) timestamp!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) trace_id?: string | null;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true }) metadata?: Record<string, unknown> | null;
}

/**
 * The version now active, its fields at the top level as the original service answered, with the
 * switch's summary beside them.
 */
export class ModelSwitchDto extends ModelVersionDto {
  @ApiProperty({ type: ModelVersionDto, description: 'the version now active' }) active_version!: ModelVersionDto;
  @ApiProperty({ nullable: true, type: String, description: 'the version active before' }) previous_version!: string | null;
  @ApiProperty({ description: 'false when the version was already active' }) changed!: boolean;
  @ApiProperty({ type: ModelEventDto, description: 'the ModelEvent published on model-service.model_events' }) event!: ModelEventDto;
}
