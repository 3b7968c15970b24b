/**
 * The CloudBase adapters of a deployed function, built once per instance. Loads
 * @cloudbase/node-sdk (and, on first use, wx-server-sdk): import this module only on the
 * CloudBase path of the start-up wiring.
 */
import { initCloudApp, initCloudDb, type CloudApp, type CloudDb } from './db';
import { CloudDirectoryStore } from './directoryStore';
import { CloudFileStore } from './fileStore';
import { CloudTicketStore } from './ticketStore';
import { miniProgramCode } from './wxacode';
import { wxSenderFromEnv, type WxSubscribeSender } from './wxSender';

export interface CloudbaseAdapters {
  app: CloudApp;
  db: CloudDb;
  store: CloudTicketStore;
  directory: CloudDirectoryStore;
  files: CloudFileStore;
  /** One attempt per call; wrap it in a Notifier that records deliveries and retries. */
  sender: WxSubscribeSender;
  miniProgramCode: (scene: string, page: string) => Promise<Uint8Array>;
}

export function cloudbaseAdapters(env: NodeJS.ProcessEnv = process.env): CloudbaseAdapters {
  const app = initCloudApp();
  const db = initCloudDb(app);
  return {
    app,
    db,
    store: new CloudTicketStore(db),
    directory: new CloudDirectoryStore(db),
    files: new CloudFileStore(app, db),
    sender: wxSenderFromEnv(env),
    miniProgramCode: (scene, page) => miniProgramCode(scene, page),
  };
}

export { CloudDirectoryStore } from './directoryStore';
export { CloudFileStore, type RegisteringFileStore, type UploadMeta } from './fileStore';
export { CloudTicketStore } from './ticketStore';
export { WxSubscribeSender, miniprogramStateFromEnv, wxSenderFromEnv } from './wxSender';
export { miniProgramCode } from './wxacode';
export type { CloudDb } from './db';
