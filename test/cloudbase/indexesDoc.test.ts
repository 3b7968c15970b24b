/** INDEXES.md is what a CloudBase admin creates before deploying: every collection the adapters use is in it. */
import fs from 'node:fs';
import path from 'node:path';
import { DIRECTORY_COLLECTIONS } from '../../cloudfunctions/adapters/cloudbase/directoryStore';

const doc = fs.readFileSync(path.join(__dirname, '../../cloudfunctions/adapters/cloudbase/INDEXES.md'), 'utf8');

it.each(Object.values(DIRECTORY_COLLECTIONS))('INDEXES.md lists the directory collection %s', (name) => {
  expect(doc).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
});

it('INDEXES.md gives the sessions and audit indexes the account listings sort by', () => {
  expect(doc).toMatch(/^\| `sessions` \|.*`userId ↑, createdAt ↓, _id ↑`.*`userId ↑, revokedAt ↑`/m);
  expect(doc).toMatch(/^\| `auth_audit` \|.*`at ↓, _id ↓`.*`userId ↑, at ↓, _id ↓`/m);
});
