// Typed GraphQL operations for the browser app, from the service's schema (schema.gql).
//
// Every `*.graphql` file under web/src holds the operations of one module; beside it this writes
// `*.generated.ts` with each operation's result and variable types (GraphQL Code Generator's
// typescript-operations plugin) and the operation's text typed with them (`Operation<R, V>` from
// web/src/api/operation.ts), so no GraphQL parser or document class ships to the browser. Documents are validated against schema.gql first: an
// operation that asks for a field the API no longer has fails here, and a changed type fails the
// type check of the code that uses it (CONVENTIONS, "The web app").
//
//   node web/scripts/graphql-operations.mjs          write the generated files
//   node web/scripts/graphql-operations.mjs --check  fail if any is missing or out of date (npm run typecheck)
import { codegen } from '@graphql-codegen/core';
import * as typescriptOperations from '@graphql-codegen/typescript-operations';
import { buildSchema, Kind, parse, print, printSchema, stripIgnoredCharacters } from 'graphql';
import { readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const check = process.argv.includes('--check');
const schema = parse(printSchema(buildSchema(readFileSync(join(root, 'schema.gql'), 'utf8'))));

function documentsUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return documentsUnder(path);
    return name.endsWith('.graphql') ? [path] : [];
  });
}

const config = {
  enumType: 'string-literal',
  avoidOptionals: { field: true, inputValue: false, object: true },
  nonOptionalTypename: false,
  skipTypename: true,
  useTypeImports: true,
  scalars: { Date: 'string', DateTime: 'string', JSON: 'unknown', ID: 'string' },
  strictScalars: true,
};

/** Calls `found` with the name of every fragment spread under `node`. */
function visitNode(node, found) {
  if (!node || typeof node !== 'object') return;
  if (node.kind === Kind.FRAGMENT_SPREAD) found(node.name.value);
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) value.forEach((child) => visitNode(child, found));
    else if (value && typeof value === 'object' && value.kind) visitNode(value, found);
  }
}

const stale = [];
for (const path of documentsUnder(join(root, 'web', 'src')).sort()) {
  const name = relative(root, path);
  let document;
  try {
    document = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    process.stderr.write(`${name}: ${error.message}\n`);
    process.exit(1);
  }
  let output;
  try {
    output = await codegen({
      schema,
      filename: path.replace(/\.graphql$/, '.generated.ts'),
      documents: [{ location: name, document }],
      plugins: [{ 'typescript-operations': {} }],
      pluginMap: { 'typescript-operations': typescriptOperations },
      config,
    });
  } catch (error) {
    // Validation against schema.gql: the client drifted from the API.
    const details = (error.errors ?? [error]).map((e) => `  ${e.message}${e.details ? `\n${e.details}` : ''}`).join('\n');
    process.stderr.write(`${name} does not match schema.gql:\n${details}\n`);
    process.exit(1);
  }
  const fragments = new Map(document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  // An operation's text carries the fragments it spreads, directly or through other fragments.
  const withFragments = (operation) => {
    const used = new Set();
    const visit = (node) => {
      visitNode(node, (name) => {
        if (used.has(name)) return;
        if (!fragments.has(name)) throw new Error(`${name}: unknown fragment ${name}`);
        used.add(name);
        visit(fragments.get(name));
      });
    };
    visit(operation);
    return [operation, ...[...used].map((name) => fragments.get(name))].map((d) => print(d)).join('\n\n');
  };
  const documents = document.definitions
    .filter((d) => d.kind === Kind.OPERATION_DEFINITION)
    .map((operation) => {
      if (!operation.name) throw new Error(`${name}: every operation needs a name`);
      const typeName = `${operation.name.value}${operation.operation[0].toUpperCase()}${operation.operation.slice(1)}`;
      return `export const ${operation.name.value}Document = ${JSON.stringify(stripIgnoredCharacters(withFragments(operation)))} as Operation<${typeName}, ${typeName}Variables>;\n`;
    });
  const text = [
    `// Generated from ${name} and schema.gql by web/scripts/graphql-operations.mjs: do not edit.`,
    `import type { Operation } from '${relative(join(path, '..'), join(root, 'web', 'src', 'api', 'operation')).replace(/^(?!\.)/, './')}';`,
    output.trim(),
    '',
    ...documents,
  ].join('\n');
  const target = path.replace(/\.graphql$/, '.generated.ts');
  if (check) {
    if (!existsSync(target) || readFileSync(target, 'utf8') !== text) stale.push(relative(root, target));
  } else writeFileSync(target, text);
}
if (stale.length > 0) {
  process.stderr.write(`Out of date with schema.gql or its .graphql file: ${stale.join(', ')}\nRun \`npm run codegen:web\` and commit the result.\n`);
  process.exit(1);
}
