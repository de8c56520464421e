import { graphql } from '../../api/graphql';
import type { Session } from '../../auth/session';
import { type AnswerFragment, EmergencyAccessDocument, type EmergencyAccessInput, type LookupInput, ResponderLookupDocument } from './lookup.generated';

/** One answer, as the API gives it for a lookup and for a medical emergency alike. */
export type Answer = AnswerFragment;
export type { EmergencyAccessInput, LookupInput };

/** `responderLookup`: what a consent naming the responder's agency lets them know. */
export async function lookUp(session: Session, input: LookupInput): Promise<Answer> {
  return (await graphql(session, ResponderLookupDocument, { input })).responderLookup;
}

/** `emergencyAccess` (§2.51, clinical responders only): recorded, and the program notified, before it answers. */
export async function discloseUnderEmergency(session: Session, input: EmergencyAccessInput): Promise<Answer> {
  return (await graphql(session, EmergencyAccessDocument, { input })).emergencyAccess;
}
