export * from './workingCalendar';
export * from './deadlines';
export * from './notice';
