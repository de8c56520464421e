import { GraphQLError } from 'graphql';
import { BadUserInputError, ForbiddenError } from './errors.js';
import { createErrorFormatter, fieldsFromGraphqlMessage, problemsOfGraphqlError } from './error-formatter.js';

describe('fieldsFromGraphqlMessage', () => {
  it.each([
    ['Variable "$input" got invalid value "1990-13-45" at "input.dateOfBirth"; Date must be a calendar date', ['dateOfBirth']],
    ['Variable "$input" got invalid value { x: 1 }; Field "givenName" of required type "String!" was not provided.', ['givenName']],
    ['Variable "$input" got invalid value "x" at "input.careTeam[0].phone"; Expected type "String".', ['careTeam.0.phone']],
    ['Field "color" is not defined by type "CreateOrganizationInput".', ['color']],
    ['Variable "$input" got invalid value { a: 1 } at "input.acknowledgements"; Field "rightToRevoke" of required type "Boolean!" was not provided.', ['acknowledgements.rightToRevoke']],
    ['Cannot query field "nam" on type "Organization".', ['nam']],
  ])('names the fields of %s', (message, fields) => {
    expect(fieldsFromGraphqlMessage(message)).toEqual(fields);
  });
});

describe('the error formatter (house rule 8)', () => {
  const format = createErrorFormatter();

  it('keeps the code and field names of an AppError, with a fixed message', () => {
    const error = new GraphQLError('wrapped', { originalError: new BadUserInputError(['b', 'a', 'a'], 'WHY') });
    expect(format({ message: 'wrapped', path: ['x'] }, error)).toEqual({
      message: 'The input is not valid',
      path: ['x'],
      extensions: {
        code: 'BAD_USER_INPUT',
        fields: ['a', 'b'],
        reason: 'WHY',
        problems: [
          { field: 'a', rule: 'NOT_ALLOWED_VALUE', limit: null },
          { field: 'b', rule: 'NOT_ALLOWED_VALUE', limit: null },
        ],
      },
    });
  });

  it('turns anything unexpected into INTERNAL without its message or stack', () => {
    const leaky = new Error('duplicate key value (given_name)=(Dana)');
    const seen: unknown[] = [];
    const formatted = createErrorFormatter({ onInternalError: (e) => seen.push(e) })({ message: leaky.message, path: ['q'], extensions: { stacktrace: ['at x'] } }, new GraphQLError(leaky.message, { originalError: leaky }));
    expect(formatted).toEqual({ message: 'Internal error', path: ['q'], extensions: { code: 'INTERNAL' } });
    expect(seen).toEqual([leaky]);
  });

  it('rewrites graphql-js request errors, whose messages may quote values, to BAD_USER_INPUT', () => {
    const formatted = format({ message: 'Variable "$input" got invalid value "Dana" at "input.kind"', extensions: { code: 'BAD_USER_INPUT' } }, new GraphQLError('x'));
    expect(formatted).toEqual({ message: 'The input is not valid', extensions: { code: 'BAD_USER_INPUT', fields: ['kind'], problems: [{ field: 'kind', rule: 'INVALID_FORMAT', limit: null }] } });
    expect(JSON.stringify(formatted)).not.toContain('Dana');
  });

  it('keeps FORBIDDEN as it is', () => {
    expect(format({ message: 'x' }, new GraphQLError('x', { originalError: new ForbiddenError() })).extensions).toEqual({ code: 'FORBIDDEN' });
  });
});

describe('problems of graphql-js refusals', () => {
  it.each([
    ['Variable "$input" got invalid value "1985-13-03" at "input.dateOfBirth"; Date must be a calendar date written YYYY-MM-DD', [{ field: 'dateOfBirth', rule: 'INVALID_DATE', limit: null }]],
    ['Variable "$from" got invalid value "x"; DateTime must be an ISO 8601 date and time with a time zone', [{ field: 'from', rule: 'INVALID_DATE', limit: null }]],
    ['Variable "$input" got invalid value { x: 1 }; Field "givenName" of required type "String!" was not provided.', [{ field: 'givenName', rule: 'REQUIRED', limit: null }]],
    ['Variable "$input" got invalid value null at "input.givenName"; Expected non-nullable type "String!" not to be null.', [{ field: 'givenName', rule: 'REQUIRED', limit: null }]],
    ['Variable "$input" got invalid value "CURIOSITY" at "input.purpose"; Value "CURIOSITY" does not exist in "ConsentPurpose" enum.', [{ field: 'purpose', rule: 'NOT_ALLOWED_VALUE', limit: null }]],
    ['Variable "$input" got invalid value 7 at "input.familyName"; String cannot represent a non string value: 7', [{ field: 'familyName', rule: 'INVALID_FORMAT', limit: null }]],
  ])('%s', (message, problems) => {
    expect(problemsOfGraphqlError(message, new Error('x')).problems).toEqual(problems);
  });
});
