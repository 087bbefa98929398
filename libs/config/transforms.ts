/** How the settings' strings become values: an empty variable counts as unset. */
export const int = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

export const bool = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : value === true || value === 'true' || value === '1'
      ? true
      : value === 'false' || value === '0' || value === false
        ? false
        : value;

export const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);
