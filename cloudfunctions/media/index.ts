import { cloudMain } from '../lib/cloudMain';

/** CloudBase entry of the `media` function; the handlers live in cloudfunctions/lib/functions/media.ts. */
export const main = cloudMain('media');
