/**
 * `npm run backup`: an online backup of DATA_DIR (default ./data) into BACKUP_DIR (default
 * ./backups), safe while the runtime is serving, then keeps the newest BACKUP_KEEP (default 14).
 * Prints the backup's directory and manifest. Exit 1 on any failure (for systemd / cron alerts).
 *   npm run backup                      # env DATA_DIR, BACKUP_DIR, BACKUP_KEEP
 *   npm run backup -- --data /var/lib/mashang --to /var/backups/mashang --keep 30
 */
import path from 'node:path';
import { backup, prune } from '../cloudfunctions/local/ops/backup';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const dataDir = path.resolve(arg('data') ?? process.env.DATA_DIR ?? 'data');
  const backupDir = path.resolve(arg('to') ?? process.env.BACKUP_DIR ?? 'backups');
  const keep = Number(arg('keep') ?? process.env.BACKUP_KEEP ?? 14);
  const { dir, manifest } = await backup({ dataDir, backupDir });
  const removed = prune(backupDir, keep);
  console.log(JSON.stringify({ msg: 'backup done', dir, ...manifest, kept: keep, removed }));
}

main().catch((e) => {
  console.error(JSON.stringify({ msg: 'backup failed', error: e instanceof Error ? e.message : String(e) }));
  process.exit(1);
});
