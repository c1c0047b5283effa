// The ajv peer of `accord-jsonschema-bench`: JSON.parse plus a compiled ajv validator per message, on the same
// lines the Swift side validates. Usage: node ajv_bench.js SCHEMA DATA PASSES
// Prints "messages seconds valid" for PASSES passes over the data (start-up and compilation not timed).
'use strict';
const fs = require('fs');
const Ajv = require('ajv');
const [schemaPath, dataPath, passesText] = process.argv.slice(2);
const ajv = new Ajv({ format: false, allErrors: false });
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));
const lines = fs.readFileSync(dataPath, 'utf8').split('\n').filter((line) => line.length > 0);
const passes = Number(passesText);
let valid = 0;
for (const line of lines) if (validate(JSON.parse(line))) valid++;  // warm-up
valid = 0;
const start = process.hrtime.bigint();
for (let pass = 0; pass < passes; pass++) {
  for (const line of lines) if (validate(JSON.parse(line))) valid++;
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(`${lines.length * passes} ${seconds} ${valid}`);
