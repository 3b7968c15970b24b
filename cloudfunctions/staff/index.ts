import { cloudMain } from '../lib/cloudMain';

/** CloudBase entry of the `staff` function; the handlers live in cloudfunctions/lib/functions/staff.ts. */
export const main = cloudMain('staff');
