// Days of the week as schedules name them (index 0 = Sunday, as cron counts): English singular
// (`Mondays` is written with an `s` after it), Swedish plural (`måndagar`). Pure.
export const EN_DAYS: readonly string[] = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
];
export const SV_DAYS: readonly string[] = [
  'söndagar',
  'måndagar',
  'tisdagar',
  'onsdagar',
  'torsdagar',
  'fredagar',
  'lördagar',
];
