import { SERVICE_TYPES, sensitivityOf } from './enrollment.js';

describe('sensitivityOf (C1)', () => {
  it.each(SERVICE_TYPES)('labels every %s record of a Part 2 program as 42CFRPart2 + SUD, very restricted', (type) => {
    expect(sensitivityOf(type, true)).toEqual({ labels: ['42CFRPart2', 'SUD'], confidentiality: 'V' });
  });

  it('labels mental-health records MH', () => {
    expect(sensitivityOf('MENTAL_HEALTH', false)).toEqual({ labels: ['MH'], confidentiality: 'R' });
  });

  it('keeps SUD treatment outside Part 2 labelled SUD', () => {
    expect(sensitivityOf('OPIOID_TREATMENT', false)).toEqual({ labels: ['SUD'], confidentiality: 'R' });
  });

  it('labels the rest NORMAL, still restricted', () => {
    expect(sensitivityOf('PEER_RECOVERY', false)).toEqual({ labels: ['NORMAL'], confidentiality: 'R' });
  });
});
