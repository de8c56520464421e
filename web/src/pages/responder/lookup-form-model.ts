import type { ConsentPurpose } from './lookup.generated';

/** What the responder types. Kept in the page's memory only; never in the address, the title or storage. */
export interface LookupValues {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  incidentNumber: string;
  purpose: ConsentPurpose;
  natureOfEmergency: string;
}

export type FieldName = keyof LookupValues;
export type FieldErrors = Partial<Record<FieldName, string>>;

export const EMPTY_VALUES: LookupValues = { givenName: '', familyName: '', dateOfBirth: '', incidentNumber: '', purpose: 'CRISIS_RESPONSE', natureOfEmergency: '' };

/** Cleared with the answer: everything that could name the person (the incident and purpose are the responder's own). */
export function withoutPerson(values: LookupValues): LookupValues {
  return { ...values, givenName: '', familyName: '', dateOfBirth: '', natureOfEmergency: '' };
}

export const PURPOSES: Array<{ value: ConsentPurpose; label: string }> = [
  { value: 'CRISIS_RESPONSE', label: 'Crisis response' },
  { value: 'CARE_COORDINATION', label: 'Care coordination' },
];

/** Field ids, in the order of the form (the error summary lists errors in this order). */
export const FIELD_IDS: Record<FieldName, string> = {
  givenName: 'given-name',
  familyName: 'family-name',
  dateOfBirth: 'date-of-birth',
  incidentNumber: 'incident-number',
  purpose: 'purpose',
  natureOfEmergency: 'nature-of-emergency',
};

export const NATURE_MIN_LENGTH = 10;
const NAME_MAX_LENGTH = 100;
const INCIDENT_NUMBER = /^[A-Za-z0-9-]{3,40}$/;

/** The service's rules for a lookup (C8), checked here first so the person hears about a mistake at once. */
export function validate(values: LookupValues, kind: 'lookup' | 'emergency', today = new Date()): FieldErrors {
  const errors: FieldErrors = {};
  if (!values.givenName.trim()) errors.givenName = 'Enter the given name';
  else if (values.givenName.trim().length > NAME_MAX_LENGTH) errors.givenName = `Given name must be ${NAME_MAX_LENGTH} characters or fewer`;
  if (!values.familyName.trim()) errors.familyName = 'Enter the family name';
  else if (values.familyName.trim().length > NAME_MAX_LENGTH) errors.familyName = `Family name must be ${NAME_MAX_LENGTH} characters or fewer`;
  const dateProblem = dateOfBirthProblem(values.dateOfBirth, today);
  if (dateProblem) errors.dateOfBirth = dateProblem;
  if (!values.incidentNumber.trim()) errors.incidentNumber = 'Enter the incident number';
  else if (!INCIDENT_NUMBER.test(values.incidentNumber.trim())) errors.incidentNumber = 'Incident number must be 3 to 40 letters, digits and hyphens';
  if (kind === 'emergency' && values.natureOfEmergency.trim().length < NATURE_MIN_LENGTH)
    errors.natureOfEmergency = `Describe the emergency in at least ${NATURE_MIN_LENGTH} characters`;
  return errors;
}

function dateOfBirthProblem(value: string, today: Date): string | undefined {
  // A native date field gives YYYY-MM-DD, or nothing while the date is incomplete or impossible.
  if (!value) return 'Enter the date of birth, including the month, day and year';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return 'Date of birth must be a real date';
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (date.toISOString().slice(0, 10) !== value) return 'Date of birth must be a real date';
  const todayUtc = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  if (date.getTime() > todayUtc) return 'Date of birth must be today or in the past';
  if (Number(match[1]) < today.getFullYear() - 120) return 'Date of birth must be within the last 120 years';
  return undefined;
}

/** The service refused a field (BAD_USER_INPUT names fields like `input.givenName`, never their values). */
export function errorsFromFields(fields: string[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const field of fields) {
    const name = field.split('.').pop() as FieldName;
    if (name in FIELD_IDS) errors[name] = SERVER_MESSAGES[name];
  }
  return errors;
}

const SERVER_MESSAGES: Record<FieldName, string> = {
  givenName: 'Check the given name',
  familyName: 'Check the family name',
  dateOfBirth: 'Check the date of birth: a real date, not in the future',
  incidentNumber: 'Incident number must be 3 to 40 letters, digits and hyphens',
  purpose: 'Choose the purpose',
  natureOfEmergency: `Describe the emergency in at least ${NATURE_MIN_LENGTH} characters`,
};
