import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class FieldProblemDto {
  @ApiProperty() field!: string;
  @ApiProperty({ type: [String] }) messages!: string[];
}

/** OpenAPI shape of ApiErrorBody. */
export class ApiErrorDto {
  @ApiProperty({ example: 400 }) status_code!: number;
  @ApiProperty({ example: 'validation_error' }) error!: string;
  @ApiProperty({ example: 'limit must not be greater than 1000' }) message!: string;
  @ApiPropertyOptional({ example: 'limit' }) field?: string;
  @ApiPropertyOptional({ type: [FieldProblemDto] }) details?: FieldProblemDto[];
  @ApiPropertyOptional() trace_id?: string;
}
