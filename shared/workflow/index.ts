export * from './states';
export * from './rules';
export * from './effects';
export * from './transition';
export * from './openTicket';
export * from './deadlineRules';
export * from './visibility';
export * from './alarms';
