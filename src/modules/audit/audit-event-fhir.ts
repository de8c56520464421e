import { FHIR_SYSTEMS, PURPOSE_OF_USE } from '@app/modules/consents/consent-fhir.js';
import { DISCLOSURE_ACTIONS } from '@app/modules/responder/lookup-decision.js';
import { REFERRAL_OUTCOME_DISCLOSURE } from '@app/modules/referrals/referral.js';
import type { AuditRecord } from '@libs/ledger/audit.repository.js';

const FAILED = new Set(['DENIED', 'RATE_LIMITED', 'REFUSED']);

/** FHIR's AuditEvent.action: Create, Read, Update, Execute. */
function actionCode(action: string): 'C' | 'R' | 'U' | 'E' {
  if (/^(record|register|create|install)/.test(action)) return 'C';
  if (/^(revoke|end|supersede|acknowledge|publish|activate)/.test(action)) return 'U';
  if (/^verify/.test(action)) return 'E';
  return 'R';
}

/** A FHIR R4 AuditEvent for one audit record (C24). */
export function auditEventToFhir(record: AuditRecord): Record<string, unknown> {
  const purpose =
    record.basis === 'MEDICAL_EMERGENCY'
      ? PURPOSE_OF_USE.MEDICAL_EMERGENCY
      : record.purpose === 'CRISIS_RESPONSE' || record.purpose === 'CARE_COORDINATION'
        ? PURPOSE_OF_USE[record.purpose]
        : null;
  const isDisclosure = (DISCLOSURE_ACTIONS as readonly string[]).includes(record.action) || record.action === REFERRAL_OUTCOME_DISCLOSURE;
  const labels = isDisclosure && record.outcome === 'DISCLOSED' ? [{ system: FHIR_SYSTEMS.confidentiality, code: 'R', display: 'restricted' }] : [];
  return {
    resourceType: 'AuditEvent',
    id: record.id,
    meta: { security: [{ system: FHIR_SYSTEMS.confidentiality, code: 'R', display: 'restricted' }] },
    type: isDisclosure
      ? { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110106', display: 'Export' }
      : { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest', display: 'RESTful Operation' },
    subtype: [{ system: 'https://crisis-link.dev/fhir/CodeSystem/operation', code: record.action, display: record.action }],
    action: actionCode(record.action),
    recorded: new Date(record.occurredAt).toISOString(),
    outcome: FAILED.has(record.outcome) ? '4' : '0',
    outcomeDesc: record.outcome,
    ...(purpose ? { purposeOfEvent: [{ coding: [{ system: FHIR_SYSTEMS.actReason, code: purpose.code, display: purpose.display }] }] } : {}),
    agent: [
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/extra-security-role-type', code: 'humanuser', display: 'human user' }] },
        who: { identifier: { system: 'urn:crisis-link:subject', value: record.actorSubject }, ...(record.actorName ? { display: record.actorName } : {}) },
        role: record.actorRoles.map((role) => ({ coding: [{ system: 'https://crisis-link.dev/fhir/CodeSystem/role', code: role }] })),
        requestor: true,
      },
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/extra-security-role-type', code: 'dataprocessor', display: 'data processor' }] },
        who: { identifier: { system: 'urn:crisis-link:organization', value: record.actorOrganizationKey } },
        requestor: false,
      },
    ],
    source: {
      site: 'crisis-link',
      observer: { display: 'crisis-link' },
      type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' }],
    },
    entity: [
      ...record.patientIds.map((id) => ({
        what: { reference: `Patient/${id}` },
        type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' },
        role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
        ...(labels.length > 0 ? { securityLabel: labels } : {}),
      })),
      ...record.consentIds.map((id) => ({
        what: { reference: `Consent/${id}` },
        type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2', display: 'System Object' },
      })),
      ...(record.incidentNumber
        ? [{ what: { identifier: { system: 'urn:crisis-link:incident', value: record.incidentNumber } }, type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '4', display: 'Other' } }]
        : []),
    ],
  };
}
