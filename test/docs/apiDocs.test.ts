import fs from 'node:fs';
import path from 'node:path';
import { renderApiDocs } from '../../scripts/gen-api-docs';
import { api, functionNames } from '../../shared/contracts/api';

describe('docs/api.md', () => {
  it('is generated from the current contracts (run `npm run docs:api` after changing them)', () => {
    const onDisk = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'api.md'), 'utf8');
    expect(onDisk).toBe(renderApiDocs());
  });

  it('documents every action of every function with a curl example', () => {
    const doc = renderApiDocs();
    for (const fn of functionNames) {
      for (const action of Object.keys(api[fn])) {
        expect(doc).toContain(`### \`${fn}.${action}\``);
        expect(doc).toContain(`"action":"${action}"`);
      }
    }
  });
});
