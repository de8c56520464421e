import { ApiError, OfflineError, SessionExpiredError } from '../../api/graphql';

/** One problem of a refusal: the input field (without `input.`), the rule and the service's reason. */
export interface FieldProblem {
  field: string;
  text: string;
}

/** The service's reasons for refusing a change to an organisation, in words an admin can act on. */
const REASONS: Record<string, string> = {
  ALREADY_EXISTS: 'Another organisation already has this key. Choose another key.',
  ONLY_TREATMENT_PROVIDERS: 'Only a treatment provider can be a Part 2 program.',
  OVERSIGHT_ONLY_BY_OVERSIGHT: 'Only an administrator of an oversight body may create or change an oversight body.',
  UNKNOWN_ORGANIZATION: 'This organisation is not one your access policy lets you change.',
  DEACTIVATED: 'This organisation is deactivated: it can no longer be changed.',
  OWN_ORGANIZATION: 'You cannot deactivate or change the type of your own organisation: ask an administrator of another organisation.',
  ONLY_RESPONDER_AGENCIES: 'Only a responder agency has a type.',
};

function ruleText(label: string, rule: string, limit: unknown): string {
  switch (rule) {
    case 'REQUIRED':
      return `Enter the ${label.toLowerCase()}`;
    case 'TOO_LONG':
      return `${label} is too long${typeof limit === 'number' ? ` (at most ${limit} characters)` : ''}`;
    case 'TOO_SHORT':
      return `${label} is too short${typeof limit === 'number' ? ` (at least ${limit} characters)` : ''}`;
    case 'INVALID_FORMAT':
      return label === 'Key' ? 'Key: lower-case letters, digits and hyphens, 2 to 63 characters, starting with a letter or digit' : `${label} is not in the right form`;
    default:
      return `${label}: this value is not allowed`;
  }
}

/** `part2Program` -> `Part 2 program`: labels are the GraphQL input field in sentence case. */
export function sentenceCase(field: string): string {
  const words = field.replace(/([a-z])([A-Z0-9])/g, '$1 $2').replace(/([0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The problems of a `BAD_USER_INPUT` refusal, field by field; the reason's words where the service gave one. */
export function fieldProblems(error: unknown): FieldProblem[] {
  if (!(error instanceof ApiError) || error.code !== 'BAD_USER_INPUT') return [];
  const reason = typeof error.extensions.reason === 'string' ? REASONS[error.extensions.reason] : undefined;
  const raw = Array.isArray(error.extensions.problems) ? (error.extensions.problems as Array<{ field?: string; rule?: string; limit?: unknown }>) : [];
  const problems = raw.length ? raw : error.fields.map((field) => ({ field, rule: 'INVALID_FORMAT', limit: null }));
  return problems.map((p) => {
    const field = (p.field ?? '').replace(/^input\./, '');
    return { field, text: reason ?? ruleText(sentenceCase(field), p.rule ?? '', p.limit) };
  });
}

export function problemText(error: unknown): string {
  if (error instanceof OfflineError) return 'You are offline. Try again when the connection is back.';
  if (error instanceof SessionExpiredError) return 'Your sign-in has ended. Sign in again to go on.';
  if (error instanceof ApiError) {
    if (error.code === 'UNAUTHENTICATED') return 'Your sign-in has ended. Sign in again to go on.';
    if (error.code === 'FORBIDDEN') return 'Your role may not do this. Ask whoever manages access policies if you need it.';
  }
  return 'The service could not answer. Try again in a moment.';
}
