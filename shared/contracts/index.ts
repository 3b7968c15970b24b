export * from './common';
export * from './ticket';
export * from './commands';
