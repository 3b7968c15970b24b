import { cloudMain } from '../lib/cloudMain';

/** CloudBase entry of the `stats` function; the handlers live in cloudfunctions/lib/functions/stats.ts. */
export const main = cloudMain('stats');
