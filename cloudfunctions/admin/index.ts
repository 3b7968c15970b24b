import { cloudMain } from '../lib/cloudMain';

/** CloudBase entry of the `admin` function; the handlers live in cloudfunctions/lib/functions/admin.ts. */
export const main = cloudMain('admin');
