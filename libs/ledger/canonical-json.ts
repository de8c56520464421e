/**
 * Canonical JSON for hashing (the JSON Canonicalization Scheme of RFC 8785, restricted to the
 * values an audit event holds): object keys sorted by UTF-16 code units, no whitespace, strings
 * and finite numbers as JSON.stringify writes them, arrays in their order. Two semantically equal
 * values always give the same bytes, so a verifier in any language can recompute a hash.
 * Written with plain loops: verification hashes every event's `details` through it.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('canonical JSON has no representation for a non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  if (typeof value === 'object') {
    const object = value as Record<string, unknown>;
    // The default sort compares UTF-16 code units, as RFC 8785 asks.
    const keys = Object.keys(object).sort();
    let out = '{';
    let first = true;
    for (const key of keys) {
      const member = object[key];
      if (member === undefined) continue;
      out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
      first = false;
    }
    return `${out}}`;
  }
  throw new Error(`canonical JSON cannot hold a ${typeof value}`);
}
