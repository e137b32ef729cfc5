import { ValidateBy, ValidationOptions } from 'class-validator';
import { isCalendarDate } from './branded';

/** An ISO `YYYY-MM-DD` string naming a real day. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isCalendarDate(value),
        defaultMessage: (args) => `${args?.property} must be a date YYYY-MM-DD`,
      },
    },
    options,
  );
}
