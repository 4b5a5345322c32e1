import { Column, PrimaryColumn } from 'typeorm';

import { numericTransformer } from '../database/numeric.transformer';

/**
 * The column kinds the entities share, each one TypeORM @Column with the options the migrations give that
 * kind (the migrations are the schema; these only describe it).
 */

/** A uuid primary key PostgreSQL fills in (gen_random_uuid()). */
export const UuidPrimaryColumn = (): PropertyDecorator => PrimaryColumn({ type: 'uuid', default: () => 'gen_random_uuid()' });

/** A `numeric` column read as a JS number (pg returns numeric as a string; see numericTransformer). */
export const NumericColumn = (name: string, options: { nullable?: boolean; default?: number } = {}): PropertyDecorator =>
  Column({ name, type: 'numeric', ...options, transformer: numericTransformer });

/** A NOT NULL `timestamptz` column the code always sets. */
export const TimestampColumn = (name: string): PropertyDecorator => Column({ name, type: 'timestamptz' });

/** A nullable `timestamptz` column (null until the event it records happens). */
export const NullableTimestampColumn = (name: string): PropertyDecorator => Column({ name, type: 'timestamptz', nullable: true });

/** A `timestamptz` column PostgreSQL sets to now() when the code leaves it out. */
export const DefaultNowColumn = (name: string): PropertyDecorator => Column({ name, type: 'timestamptz', default: () => 'now()' });

/** A `jsonb` object column, '{}' when the code leaves it out. */
export const JsonObjectColumn = (name: string): PropertyDecorator => Column({ name, type: 'jsonb', default: () => "'{}'::jsonb" });

/** The strategy a row belongs to, as every table stores it (varchar(100)); nullable where rows may have none. */
export const StrategyIdColumn = (options: { nullable?: boolean } = {}): PropertyDecorator =>
  Column({ name: 'strategy_id', type: 'varchar', length: 100, ...options });

/** A trading pair symbol (BTCUSDT), varchar(30) in every table. */
export const AssetColumn = (): PropertyDecorator => Column({ type: 'varchar', length: 30 });

/** The trace id of the message that caused the row (varchar(128), nullable). */
export const TraceIdColumn = (): PropertyDecorator => Column({ name: 'trace_id', type: 'varchar', length: 128, nullable: true });
