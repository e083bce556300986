import { applyDecorators } from '@nestjs/common';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import { Transform } from 'class-transformer';
import { isCalendarDay } from '@libs/calendar/calendar-day';

/** Leading and trailing spaces (also full-width) are not part of what a person meant to type. */
export const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.replace(/^[\s\u3000]+|[\s\u3000]+$/g, '') : value));

/** '' from an empty form field becomes undefined, so optional fields stay optional. */
export const EmptyToUndefined = () =>
  Transform(({ value }) => (typeof value === 'string' && value.trim() === '' ? undefined : typeof value === 'string' ? value.trim() : value));

/** '' becomes null (clears the stored value); other strings are trimmed. */
export const EmptyToNull = () =>
  Transform(({ value }) => (typeof value === 'string' ? (value.trim() === '' ? null : value.trim()) : value));

/**
 * A number field: '2024' → 2024, anything else stays as given so that validation names it. An empty field is
 * undefined (left alone), or null with `{ emptyAs: null }` (cleared).
 */
export const ToInt = (options: { emptyAs?: null } = {}) =>
  Transform(({ value }) => {
    if (value === '' || value === null || value === undefined) return 'emptyAs' in options ? null : undefined;
    if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
    return value;
  });

/** A checkbox: present ('on', 'true', '1') → true. Missing checkboxes keep the class default (false). */
export const ToBool = () =>
  Transform(({ value }) => value === true || value === 'on' || value === 'true' || value === '1' || (Array.isArray(value) && value.includes('on')));

/** Tags typed as one text: split on commas (、，,), slashes (/／) and new lines; each tag keeps its characters. */
export const ToTags = () =>
  Transform(({ value }) =>
    typeof value === 'string'
      ? [...new Set(value.split(/[,、，\n\r/／]+/).map((t) => t.trim()).filter(Boolean))]
      : Array.isArray(value)
        ? value
        : [],
  );

/** An optional year field (1950–2100); empty is undefined, or null with `{ emptyAs: null }` (cleared). */
export const YearField = (options: { emptyAs?: null } = {}) => applyDecorators(ToInt(options), IsOptional(), IsInt(), Min(1950), Max(2100));

/** An optional one-line text: trimmed, empty is undefined. */
export const OptionalText = (max: number) => applyDecorators(EmptyToUndefined(), IsOptional(), IsString(), MaxLength(max));

/** An optional page number (1–max). */
export const PageNumber = (max: number) => applyDecorators(ToInt(), IsOptional(), IsInt(), Min(1), Max(max));

/** A calendar day YYYY-MM-DD that exists (not 2026-02-30); anything else is `validation.isDateString`. */
export const IsCalendarDay = () =>
  ValidateBy({
    name: 'isDateString',
    validator: { validate: (value: unknown) => isCalendarDay(value), defaultMessage: () => 'isDateString' },
  });
