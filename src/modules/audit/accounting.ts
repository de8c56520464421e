import type { AuditIntegrity } from '@libs/ledger/audit-integrity.js';
import type { DataCategory } from '@app/modules/consents/consent.js';
import { FHIR_SYSTEMS, PURPOSE_OF_USE } from '@app/modules/consents/consent-fhir.js';
import { purposeInWords } from '@app/modules/consents/consent-wording.js';
import type { AuditRecord } from '@libs/ledger/audit.repository.js';
import type { DisclosureBasis } from '@app/modules/responder/lookup-decision.js';

export const ACCOUNTING_FORMATS = ['CSV', 'FHIR_BUNDLE'] as const;
/** The identifier system of a partnership agreement in FHIR exports. */
export const PARTNERSHIP_AGREEMENT_SYSTEM = 'urn:crisis-link:partnership-agreement';
export type AccountingFormat = (typeof ACCOUNTING_FORMATS)[number];
import { auditEventToFhir } from './audit-event-fhir.js';

/** One disclosure of one patient's records, for the accounting of disclosures (C19). */
export interface DisclosureEntry {
  disclosureId: string;
  disclosedAt: Date;
  disclosingOrganizationKey: string;
  recipientOrganizationKey: string;
  recipientOrganizationName: string;
  recipientPersonName: string | null;
  recipientPersonId: string;
  categories: DataCategory[];
  description: string;
  basis: DisclosureBasis;
  purpose: string | null;
  consentId: string | null;
  /** The partnership agreement in force between the program and the recipient agency at the disclosure (issue 15). */
  partnershipAgreementId: string | null;
  natureOfEmergency: string | null;
  incidentNumber: string | null;
  legalBasisInWords: string;
  /** Whether the audit row behind the entry is what the ledger sealed (C18). */
  integrity: AuditIntegrity;
}

/** What an accounting is of: the patient's record, its program, and the period (C19). */
export interface AccountingScope {
  patientId: string;
  programKey: string;
  programName: string;
  from: Date;
  to: Date;
}

const CATEGORY_WORDS: Record<DataCategory, string> = {
  TREATMENT_STATUS: 'that the patient is in treatment, since when and with which program',
  CARE_TEAM_CONTACT: 'how to reach the care team',
  ENGAGEMENT_NOTES: "the program's guidance for responders",
  REFERRAL_OUTCOME: 'what became of a referral the recipient made (accepted, and whether the person was contacted or engaged)',
};

/** "A brief description of the information disclosed" (164.528(b)(2)(iii)), in words. */
export function describeDisclosure(categories: DataCategory[]): string {
  const parts = categories.map((c) => CATEGORY_WORDS[c]);
  const text = parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** The entry of one patient (any of its records) in one disclosure event; the event may cover the person at several programs. */
export function disclosureEntry(
  record: AuditRecord,
  patientIds: readonly string[],
  organizations: Map<string, string>,
  emergencies: Map<string, string>,
): DisclosureEntry {
  const parts =
    (record.details.disclosures as
      | Array<{ patientId: string; organizationKey: string; consentId: string | null; partnershipAgreementId?: string | null; categories: DataCategory[] }>
      | undefined) ?? [];
  // The patient's part, under whichever of its records (a merged one too) the event names.
  const mine = parts.find((p) => patientIds.includes(p.patientId));
  const patientId = mine?.patientId ?? patientIds[0];
  const categories = mine?.categories ?? (record.disclosedCategories as DataCategory[]);
  const basis = record.basis === 'MEDICAL_EMERGENCY' ? 'MEDICAL_EMERGENCY' : 'CONSENT';
  const natureOfEmergency = basis === 'MEDICAL_EMERGENCY' ? (emergencies.get(`${record.id}:${patientId}`) ?? null) : null;
  const consentId = mine?.consentId ?? null;
  // Disclosures recorded before agreements existed name none.
  const partnershipAgreementId = mine?.partnershipAgreementId ?? null;
  const underAgreement = partnershipAgreementId ? `, under partnership agreement ${partnershipAgreementId}` : '';
  return {
    disclosureId: record.id,
    disclosedAt: record.occurredAt,
    disclosingOrganizationKey: mine?.organizationKey ?? record.subjectOrganizationKeys[0] ?? '',
    recipientOrganizationKey: record.actorOrganizationKey,
    recipientOrganizationName: organizations.get(record.actorOrganizationKey) ?? record.actorOrganizationKey,
    recipientPersonName: record.actorName,
    recipientPersonId: record.actorSubject,
    categories,
    description: describeDisclosure(categories),
    basis,
    purpose: record.purpose,
    consentId,
    partnershipAgreementId,
    natureOfEmergency,
    incidentNumber: record.incidentNumber,
    integrity: record.integrity ?? 'PENDING',
    legalBasisInWords:
      basis === 'MEDICAL_EMERGENCY'
        ? `Medical emergency (42 CFR 2.51)${natureOfEmergency ? `: ${natureOfEmergency}` : ''}`
        : `Written consent ${consentId ?? ''} for ${record.purpose ? purposeInWords(record.purpose as 'CRISIS_RESPONSE') : 'the stated purpose'} (42 CFR 2.31)${underAgreement}`.replace('  ', ' '),
  };
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : Array.isArray(value) ? value.join(' ') : String(value);
  // Quote always; neutralise spreadsheet formulas.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

const CSV_COLUMNS: Array<[string, keyof DisclosureEntry]> = [
  ['disclosed_at', 'disclosedAt'],
  ['recipient_organization', 'recipientOrganizationName'],
  ['recipient_organization_key', 'recipientOrganizationKey'],
  ['recipient_person', 'recipientPersonName'],
  ['recipient_person_id', 'recipientPersonId'],
  ['information_disclosed', 'description'],
  ['categories', 'categories'],
  ['basis', 'basis'],
  ['purpose_or_legal_basis', 'legalBasisInWords'],
  ['consent_id', 'consentId'],
  ['partnership_agreement_id', 'partnershipAgreementId'],
  ['incident_number', 'incidentNumber'],
  ['disclosing_program', 'disclosingOrganizationKey'],
  ['disclosure_id', 'disclosureId'],
  ['integrity', 'integrity'],
];

const isoDate = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The accounting as a CSV file: a first line naming the patient's record, the program and the
 * period (ISO dates, the end exclusive), then the column row, then one row per disclosure.
 */
export function accountingCsv(entries: DisclosureEntry[], scope: AccountingScope): string {
  const title = [
    'Accounting of disclosures',
    `Patient record: ${scope.patientId}`,
    `Program: ${scope.programName} (${scope.programKey})`,
    `Period: ${isoDate(scope.from)} to ${isoDate(scope.to)}`,
  ];
  return (
    [title.map(csvCell).join(','), CSV_COLUMNS.map(([name]) => csvCell(name)).join(','), ...entries.map((e) => CSV_COLUMNS.map(([, key]) => csvCell(e[key])).join(','))].join('\r\n') +
    '\r\n'
  );
}

/** A file name for a download: what it is and the period, nothing about the person. */
export function accountingFileName(scope: AccountingScope, extension: 'csv' | 'json'): string {
  return `accounting-of-disclosures-${isoDate(scope.from)}-to-${isoDate(scope.to)}.${extension}`;
}

/** A FHIR R4 collection Bundle of the disclosures' AuditEvents (C24), restricted to this patient. */
export function accountingBundle(entries: DisclosureEntry[], records: Map<string, AuditRecord>, patientId: string): Record<string, unknown> {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: new Date().toISOString(),
    meta: { security: [{ system: FHIR_SYSTEMS.confidentiality, code: 'R', display: 'restricted' }] },
    entry: entries.map((e) => {
      const record = records.get(e.disclosureId)!;
      const own = { ...record, patientIds: [patientId], consentIds: e.consentId ? [e.consentId] : [] };
      const resource = auditEventToFhir(own) as Record<string, unknown>;
      // The agreement the disclosure rested on, by id, as one more entity of the event (issue 15).
      if (e.partnershipAgreementId) {
        resource.entity = [
          ...((resource.entity as unknown[] | undefined) ?? []),
          {
            what: { identifier: { system: PARTNERSHIP_AGREEMENT_SYSTEM, value: e.partnershipAgreementId } },
            type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '4', display: 'Other' },
            description: 'Partnership agreement in force',
          },
        ];
      }
      resource.outcomeDesc = `${e.description} ${e.legalBasisInWords}`;
      if (e.basis === 'MEDICAL_EMERGENCY') resource.purposeOfEvent = [{ coding: [{ system: FHIR_SYSTEMS.actReason, code: PURPOSE_OF_USE.MEDICAL_EMERGENCY.code }] }];
      return { fullUrl: `urn:uuid:${e.disclosureId}`, resource };
    }),
  };
}
