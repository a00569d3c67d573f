// `npm run bench`: runs every bench/*.bench.ts one after another (never in parallel: they time things) and
// prints their markdown sections; `npm run bench -- name` runs only the benches whose file name contains name.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const here = __dirname;
const filters = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
  .sort();

let failed = 0;
for (const name of benches) {
  process.stdout.write(`\n<!-- ${name} -->\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, name)], {
    stdio: 'inherit',
    cwd: path.join(here, '..'),
  });
  if (result.status !== 0) {
    failed += 1;
    process.stdout.write(`\n**${name} failed (exit ${result.status ?? result.signal})**\n`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
