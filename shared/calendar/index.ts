export * from './workingCalendar';
export * from './deadlines';
