import { cloudMain } from '../lib/cloudMain';

/** CloudBase entry of the timer: deadlines, reminders and supervision triggers (cron in config.json). */
export const main = cloudMain('timer');
