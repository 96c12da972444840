// Validates DOCX files with the Open XML SDK's schemas and rules (npm @ooxml-tools/validate, offline).
//   node scripts/validate-docx.mjs A.docx B.docx …  prints {"A.docx": [error, …], …} as JSON
// One process for all files: the validator's .NET runtime takes seconds to start.
import { readFile } from "node:fs/promises";
import validate from "@ooxml-tools/validate";

const errors = {};
for (const path of process.argv.slice(2)) {
  errors[path] = await validate(await readFile(path), "docx", "Microsoft365");
}
process.stdout.write(JSON.stringify(errors));
process.exit(0); // the runtime keeps the event loop alive
