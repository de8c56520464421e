// The GraphQL contract: the schema is printed to schema.gql and committed, so clients and reviewers
// see every change of the contract. `npm run schema:print` rewrites it.
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { projectRoot } from '@libs/config/project-root.js';
import { TestApp } from './support/test-app.js';

const CONTRACT_OPERATIONS = ['createOrganization', 'organizations', 'registerPatient', 'patients', 'patient', 'recordEnrollment', 'endEnrollment'];
const CONTRACT_INPUTS = ['CreateOrganizationInput', 'RegisterPatientInput', 'RecordEnrollmentInput', 'EndEnrollmentInput'];

describe('schema.gql', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('keeps the contract names clients rely on', () => {
    const schema = t.app.get(GraphQLSchemaHost).schema;
    const fields = { ...schema.getQueryType()!.getFields(), ...schema.getMutationType()!.getFields() };
    for (const name of CONTRACT_OPERATIONS) expect(Object.keys(fields)).toContain(name);
    for (const name of CONTRACT_INPUTS) expect(schema.getType(name)).toBeDefined();
    for (const scalar of ['Date', 'DateTime', 'JSON']) expect(schema.getType(scalar)).toBeDefined();
  });

  it('is the committed schema (run `npm run schema:print` after changing the API)', async () => {
    const printed = `${printSchema(lexicographicSortSchema(t.app.get(GraphQLSchemaHost).schema))}\n`;
    const file = join(projectRoot(), 'schema.gql');
    if (process.env.UPDATE_SCHEMA === '1') await writeFile(file, printed);
    expect(printed).toBe(await readFile(file, 'utf8'));
  });
});
