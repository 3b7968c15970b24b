/**
 * `npm run restore -- <backup directory> <fresh data directory>`: copies a backup made by
 * `npm run backup` (or the runtime's schedule) into an empty data directory and checks it with
 * `PRAGMA integrity_check`. Start the runtime on it with DATA_DIR=<that directory>.
 * `npm run restore -- latest <dir>` takes the newest backup in BACKUP_DIR (default ./backups).
 */
import path from 'node:path';
import { listBackups, restore } from '../cloudfunctions/local/ops/backup';

function main() {
  const [from, to] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (!from || !to) {
    console.error('usage: npm run restore -- <backup directory | latest> <fresh data directory>');
    process.exit(2);
  }
  const src = from === 'latest' ? listBackups(path.resolve(process.env.BACKUP_DIR ?? 'backups'))[0] : path.resolve(from);
  if (!src) throw new Error('no complete backup found in BACKUP_DIR');
  const r = restore({ backupDir: src, dataDir: to });
  console.log(JSON.stringify({ msg: 'restore done', from: src, to: path.resolve(to), ...r }));
  if (r.integrity !== 'ok') process.exit(1);
}

try {
  main();
} catch (e) {
  console.error(JSON.stringify({ msg: 'restore failed', error: e instanceof Error ? e.message : String(e) }));
  process.exit(1);
}
