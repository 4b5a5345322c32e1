import { parseIsoTimestamp } from '@model-service/signals';
import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength, registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

const TRUE = new Set(['true', '1']);
const FALSE = new Set(['false', '0']);

/** Query string "true"/"false"/"1"/"0" -> boolean; anything else stays as it is (and fails @IsBoolean). */
export const ToBoolean = (): PropertyDecorator =>
  Transform(({ value }) => {
    if (typeof value !== 'string') return value;
    const v = value.trim().toLowerCase();
    if (TRUE.has(v)) return true;
    if (FALSE.has(v)) return false;
    return value;
  });

/** Query string integer -> number; anything else stays a string (and fails @IsInt). */
export const ToInteger = (): PropertyDecorator =>
  Transform(({ value }) => (typeof value === 'string' && /^-?\d{1,15}$/.test(value.trim()) ? Number(value.trim()) : value));

/** ISO 8601 date-time string -> Date (a zone-less time is UTC); anything else stays as it is (and fails @IsIsoDateTime). */
export const ToDate = (): PropertyDecorator =>
  Transform(({ value }) => {
    if (typeof value !== 'string') return value;
    const ms = parseIsoTimestamp(value.trim());
    return ms === null ? value : new Date(ms);
  });

/** "a,b" or repeated ?x=a&x=b -> ['a', 'b'] (blanks dropped). */
export const ToStringList = (): PropertyDecorator =>
  Transform(({ value }) => {
    const parts = Array.isArray(value) ? value : typeof value === 'string' ? [value] : undefined;
    if (!parts) return value;
    return parts.flatMap((p) => (typeof p === 'string' ? p.split(',') : [p])).map((p) => (typeof p === 'string' ? p.trim() : p)).filter((p) => p !== '');
  });

/** Passes for a Date made by ToDate; the message asks for an ISO 8601 date-time. */
export function IsIsoDateTime(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isIsoDateTime',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: `${String(propertyName)} must be an ISO 8601 date-time such as 2026-01-01T00:00:00Z`,
        ...options,
      },
      validator: { validate: (value: unknown) => value instanceof Date && !Number.isNaN(value.getTime()) },
    });
}

/** When both are dates: this property must be strictly after `other`. */
export function IsAfterField(other: string, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isAfterField',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [other],
      options: { message: `${String(propertyName)} must be after ${other}`, ...options },
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const start = (args.object as Record<string, unknown>)[other];
          if (!(value instanceof Date) || !(start instanceof Date)) return true;
          return value.getTime() > start.getTime();
        },
      },
    });
}

/** An optional ISO 8601 date-time parameter, a Date once validated; `description` says which bound it is and its default. */
export const OptionalDateTime = (description: string): PropertyDecorator =>
  applyDecorators(ApiPropertyOptional({ format: 'date-time', description }), IsOptional(), ToDate(), IsIsoDateTime());

/** The optional free-text `reason` of an operator's command (at most 500 characters); `description` says where it goes. */
export const OptionalReason = (description: string): PropertyDecorator =>
  applyDecorators(ApiPropertyOptional({ description }), IsOptional(), IsString(), MaxLength(500));

/** A strategy id or model version as it may appear in a URL: printable, no spaces or slashes, not "." or "..". */
export const PATH_ID = /^(?!\.{1,2}$)[^\s/\\]{1,100}$/;
