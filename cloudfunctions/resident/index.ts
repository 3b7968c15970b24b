import { cloudMain } from '../lib/cloudMain';

/** CloudBase entry of the `resident` function; the handlers live in cloudfunctions/lib/functions/resident.ts. */
export const main = cloudMain('resident');
