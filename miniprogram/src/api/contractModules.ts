/** What `contracts()` loads: the schemas the app checks input with before it leaves the device. */
export { api } from '@shared/contracts/api';
export { submitInputSchema } from '@shared/contracts/commands';
