// Parses every HCL file given as an argument (Terraform .tf and .tftest.hcl) with HashiCorp's HCL parser
// (npm @cdktf/hcl2json), so a syntax error fails even where Terraform itself cannot initialise offline.
import { readFileSync } from 'node:fs';
import hcl2json from '@cdktf/hcl2json';

let failures = 0;
for (const file of process.argv.slice(2)) {
  try {
    const parsed = await hcl2json.parse(file, readFileSync(file, 'utf8'));
    if (parsed === null || typeof parsed !== 'object') throw new Error('parser returned no document');
  } catch (error) {
    failures++;
    console.error(`  ${file}: ${error.message ?? error}`);
  }
}
console.log(`hcl: ${process.argv.length - 2} files parsed, ${failures} with errors`);
process.exit(failures === 0 && process.argv.length > 2 ? 0 : 1);
