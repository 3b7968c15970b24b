import type { CommandType } from '../contracts/commands';
import { TRANSITIONS, type TransitionSpec } from './transitions';

/**
 * A read-only view of the transitions table (transitions.ts) keyed by command, for callers that
 * only need who, from where and the label. Derived: there is nothing to keep in step by hand.
 */
export type CommandRule = Pick<TransitionSpec, 'from' | 'roles' | 'scope' | 'public' | 'label'>;

export const COMMAND_RULES: Readonly<Record<CommandType, CommandRule>> = TRANSITIONS;
