/** What each function answers, per action: converted one function at a time (issue 10 §4). */
import { statsResponses } from './stats';
import { residentResponses } from './resident';
import { publicResponses } from './public';

export * from './stats';
export * from './views';
export * from './resident';
export * from './public';

export const responses = {
  stats: statsResponses,
  resident: residentResponses,
  public: publicResponses,
};
