/** What each function answers, per action: converted one function at a time (issue 10 §4). */
import { statsResponses } from './stats';
import { residentResponses } from './resident';
import { publicResponses } from './public';
import { staffResponses } from './staff';
import { operatorResponses } from './operator';

export * from './stats';
export * from './views';
export * from './resident';
export * from './public';
export * from './staff';
export * from './operator';

export const responses = {
  stats: statsResponses,
  resident: residentResponses,
  public: publicResponses,
  staff: staffResponses,
  operator: operatorResponses,
};
