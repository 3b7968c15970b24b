import { cloudMain } from '../lib/cloudMain';

/** CloudBase entry of the `auth` function; the handlers live in cloudfunctions/lib/functions/auth.ts. */
export const main = cloudMain('auth');
