/**
 * Text and attachment limits enforced on the server as well as in the UI. Apart from the schemas
 * so the app can read them without loading zod (the H5 entry page stays small, issue 17).
 */
export const LIMITS = {
  title: 60,
  content: 2000,
  note: 1000,
  name: 30,
  address: 200,
  category: 40,
  reason: 500,
  attachmentsPerTicket: 11,
  imagesPerTicket: 9,
  videosPerTicket: 1,
  audiosPerTicket: 1,
  mediaSeconds: 60,
} as const;
