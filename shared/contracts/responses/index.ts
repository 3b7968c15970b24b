/** What each function answers, per action: converted one function at a time (issue 10 §4). */
import { statsResponses } from './stats';
import { residentResponses } from './resident';
import { publicResponses } from './public';
import { staffResponses } from './staff';
import { operatorResponses } from './operator';
import { adminResponses } from './admin';
import { mediaResponses, timerResponses } from './media';
import { authResponses } from './auth';

export * from './stats';
export * from './views';
export * from './resident';
export * from './public';
export * from './staff';
export * from './operator';
export * from './admin';
export * from './media';
export * from './auth';
export * from './kb';

export const responses = {
  stats: statsResponses,
  resident: residentResponses,
  public: publicResponses,
  staff: staffResponses,
  operator: operatorResponses,
  admin: adminResponses,
  media: mediaResponses,
  timer: timerResponses,
  auth: authResponses,
};
