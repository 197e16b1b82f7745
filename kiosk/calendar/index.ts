export * from './dates.ts';
export * from './day-rows.ts';
export * from './working-day-calendar.ts';
