import { runTimer } from '../timer';
import type { Handlers } from './types';

export const timer: Handlers<'timer'> = {
  async run({ deps }) {
    return runTimer(deps, deps.ids.id('run'));
  },
};
