export const SERVICE_TYPES = ['SUD_TREATMENT', 'OPIOID_TREATMENT', 'MENTAL_HEALTH', 'CASE_MANAGEMENT', 'PEER_RECOVERY'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export const ENROLLMENT_STATUSES = ['ACTIVE', 'ENDED'] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

export type SensitivityLabel = '42CFRPart2' | 'SUD' | 'MH' | 'NORMAL';
export type ConfidentialityCode = 'R' | 'V';

export interface CareTeamContact {
  name: string;
  role: string;
  phone: string;
  afterHoursPhone: string | null;
  hours: string | null;
}

export interface Enrollment {
  id: string;
  patientId: string;
  organizationKey: string;
  programName: string;
  serviceType: ServiceType;
  status: EnrollmentStatus;
  startedOn: string;
  endedOn: string | null;
  careTeam: CareTeamContact[];
  engagementNotes: string | null;
  sensitivityLabels: SensitivityLabel[];
  confidentiality: ConfidentialityCode;
  createdAt: Date;
}

const SUD_SERVICES: ReadonlySet<ServiceType> = new Set(['SUD_TREATMENT', 'OPIOID_TREATMENT']);

/**
 * C1: every record carries a sensitivity label and a confidentiality code. Anything from a
 * Part 2 program is Part 2 data (42CFRPart2 + SUD, very restricted); mental-health records are
 * MH; SUD treatment outside a Part 2 program is still SUD. The rest is NORMAL; all restricted.
 */
export function sensitivityOf(serviceType: ServiceType, part2Program: boolean): { labels: SensitivityLabel[]; confidentiality: ConfidentialityCode } {
  if (part2Program) return { labels: ['42CFRPart2', 'SUD'], confidentiality: 'V' };
  if (SUD_SERVICES.has(serviceType)) return { labels: ['SUD'], confidentiality: 'R' };
  if (serviceType === 'MENTAL_HEALTH') return { labels: ['MH'], confidentiality: 'R' };
  return { labels: ['NORMAL'], confidentiality: 'R' };
}

/** The labels of a person's records at one program: the union, NORMAL only when nothing else. */
export function combinedSensitivity(
  enrollments: Array<{ sensitivityLabels: SensitivityLabel[]; confidentiality: ConfidentialityCode }>,
  part2Program: boolean,
): { labels: SensitivityLabel[]; confidentiality: ConfidentialityCode } {
  if (enrollments.length === 0) return sensitivityOf('CASE_MANAGEMENT', part2Program);
  const labels = new Set(enrollments.flatMap((e) => e.sensitivityLabels));
  if (labels.size > 1) labels.delete('NORMAL');
  return { labels: [...labels], confidentiality: enrollments.some((e) => e.confidentiality === 'V') ? 'V' : 'R' };
}
