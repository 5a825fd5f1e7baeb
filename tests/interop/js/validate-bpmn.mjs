// Parse a BPMN 2.0 file with bpmn-moddle (the model layer of bpmn.io and Camunda Modeler)
// and print what it found as JSON: its warnings (unknown elements or attributes, unresolved
// references, bad values) and a count of elements by type, so the Python tests can check both.
//
// Usage: node tests/interop/js/validate-bpmn.mjs FILE.bpmn
import { readFileSync } from "node:fs";
import { BpmnModdle } from "bpmn-moddle";

const file = process.argv[2];
if (!file) {
  process.stderr.write("usage: validate-bpmn.mjs FILE.bpmn\n");
  process.exit(2);
}

const moddle = new BpmnModdle();
try {
  const xml = readFileSync(file, "utf8");
  const { rootElement, warnings, elementsById } = await moddle.fromXML(xml, "bpmn:Definitions");
  const counts = {};
  for (const element of Object.values(elementsById)) {
    counts[element.$type] = (counts[element.$type] || 0) + 1;
  }
  process.stdout.write(JSON.stringify({
    root: rootElement.$type,
    warnings: warnings.map((w) => w.message),
    counts,
  }) + "\n");
} catch (error) {
  process.stdout.write(JSON.stringify({ error: String(error && error.message || error) }) + "\n");
  process.exit(1);
}
