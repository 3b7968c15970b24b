/**
 * Policy rules outside the workflow table, pure: abuse limits, duplicates, supervision triggers,
 * who may see a ticket, masking, unit suggestions. Handlers load the inputs and call these.
 */
export * from './limits';
export * from './duplicates';
export * from './triggers';
export * from './masking';
export * from './visibility';
export * from './suggestions';
export * from './personalData';
export * from './nearby';
