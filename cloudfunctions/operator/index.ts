import { cloudMain } from '../lib/cloudMain';

/** CloudBase entry of the `operator` function; the handlers live in cloudfunctions/lib/functions/operator.ts. */
export const main = cloudMain('operator');
