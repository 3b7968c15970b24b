/** What each function answers, per action: converted one function at a time (issue 10 §4). */
import { statsResponses } from './stats';

export * from './stats';

export const responses = {
  stats: statsResponses,
};
