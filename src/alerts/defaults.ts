// Defaults of an alert rule's settings (the default rules themselves: default-rules.ts).

/** Daily at 09:00 in the rule's (or the configured) timezone. */
export const DEFAULT_SCHEDULE = '0 9 * * *';
/** Fire on the first breaching evaluation. */
export const DEFAULT_FOR = 1;
/** Re-notify a firing alert once a day. */
export const DEFAULT_REPEAT_MINUTES = 1440;
/** The window when a rule names none. */
export const DEFAULT_WINDOW = 'last-7-days';
