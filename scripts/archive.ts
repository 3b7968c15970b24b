/**
 * `npm run archive`: exports closed tickets last changed more than RETENTION_YEARS (or --years)
 * years ago, with their history and files, into ARCHIVE_DIR (or --to), and marks them archived.
 * Safe while the runtime serves. Prints a JSON summary; exit 1 on failure.
 *   npm run archive -- --years 10 --to /var/archives/mashang [--data /var/lib/mashang] [--dry-run]
 */
import path from 'node:path';
import { archiveClosed } from '../cloudfunctions/local/ops/archive';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function main() {
  const dataDir = path.resolve(arg('data') ?? process.env.DATA_DIR ?? 'data');
  const to = path.resolve(arg('to') ?? process.env.ARCHIVE_DIR ?? 'archives');
  const years = Number(arg('years') ?? process.env.RETENTION_YEARS ?? NaN);
  const dryRun = process.argv.includes('--dry-run');
  const { entries, ...summary } = archiveClosed({ dataDir, to, years, dryRun });
  console.log(JSON.stringify({ msg: dryRun ? 'archive dry run' : 'archive done', ...summary, numbers: entries.map((e) => e.number) }));
}

try {
  main();
} catch (e) {
  console.error(JSON.stringify({ msg: 'archive failed', error: e instanceof Error ? e.message : String(e) }));
  process.exit(1);
}
