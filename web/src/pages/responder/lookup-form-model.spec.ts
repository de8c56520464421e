import { EMPTY_VALUES, errorsFromFields, validate, withoutPerson } from './lookup-form-model';
import { waitInWords } from './refusals';

const TODAY = new Date(2026, 10, 30);
const DANA = { ...EMPTY_VALUES, givenName: 'Dana', familyName: 'Rivera', dateOfBirth: '1990-04-12', incidentNumber: 'INC-2026-0042' };

describe("the responder's form: the service's rules, said at once (C8)", () => {
  it('accepts a complete lookup, and asks for the nature of an emergency only for an emergency', () => {
    expect(validate(DANA, 'lookup', TODAY)).toEqual({});
    expect(validate(DANA, 'emergency', TODAY)).toEqual({ natureOfEmergency: 'Describe the emergency in at least 10 characters' });
    expect(validate({ ...DANA, natureOfEmergency: ' Overdose  ' }, 'emergency', TODAY).natureOfEmergency).toBeDefined();
    expect(validate({ ...DANA, natureOfEmergency: 'Unresponsive, suspected overdose' }, 'emergency', TODAY)).toEqual({});
  });

  it('names every missing or wrong field in words', () => {
    expect(Object.keys(validate(EMPTY_VALUES, 'lookup', TODAY)).sort()).toEqual(['dateOfBirth', 'familyName', 'givenName', 'incidentNumber']);
    expect(validate({ ...DANA, givenName: '   ' }, 'lookup', TODAY).givenName).toBe('Enter the given name');
    expect(validate({ ...DANA, familyName: 'x'.repeat(101) }, 'lookup', TODAY).familyName).toMatch(/100 characters or fewer/);
    expect(validate({ ...DANA, incidentNumber: 'INC 42' }, 'lookup', TODAY).incidentNumber).toMatch(/letters, digits and hyphens/);
    expect(validate({ ...DANA, incidentNumber: 'I1' }, 'lookup', TODAY).incidentNumber).toBeDefined();
  });

  it('wants a real date of birth, not in the future, within 120 years', () => {
    expect(validate({ ...DANA, dateOfBirth: '1990-02-30' }, 'lookup', TODAY).dateOfBirth).toBe('Date of birth must be a real date');
    expect(validate({ ...DANA, dateOfBirth: '2026-12-01' }, 'lookup', TODAY).dateOfBirth).toBe('Date of birth must be today or in the past');
    expect(validate({ ...DANA, dateOfBirth: '2026-11-30' }, 'lookup', TODAY).dateOfBirth).toBeUndefined();
    expect(validate({ ...DANA, dateOfBirth: '1900-01-01' }, 'lookup', TODAY).dateOfBirth).toBe('Date of birth must be within the last 120 years');
  });

  it("maps the service's refused fields (names only) to the form, and clears the person but not the incident", () => {
    expect(errorsFromFields(['input.givenName', 'input.dateOfBirth', 'input.unknown'])).toEqual({
      givenName: 'Check the given name',
      dateOfBirth: 'Check the date of birth: a real date, not in the future',
    });
    expect(withoutPerson({ ...DANA, natureOfEmergency: 'Unresponsive' })).toEqual({ ...EMPTY_VALUES, incidentNumber: 'INC-2026-0042' });
  });

  it('says the wait of a rate limit as a person says it', () => {
    expect(waitInWords(0)).toBe('1 minute');
    expect(waitInWords(59)).toBe('1 minute');
    expect(waitInWords(61)).toBe('2 minutes');
    expect(waitInWords(12 * 60)).toBe('12 minutes');
    expect(waitInWords(90 * 60)).toBe('90 minutes');
    expect(waitInWords(5 * 3600 - 30)).toBe('5 hours');
  });
});
