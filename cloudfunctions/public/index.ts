import { cloudMain } from '../lib/cloudMain';

/** CloudBase entry of the `public` function (public disclosure); the handlers live in cloudfunctions/lib/functions/public.ts. */
export const main = cloudMain('public');
