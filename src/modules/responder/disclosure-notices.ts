/**
 * C11, §2.32(a)(1): the notice that must accompany each disclosure of Part 2 records made with
 * the patient's consent (text of the 2024 final rule). Sent with every answer that discloses.
 */
export const REDISCLOSURE_NOTICE =
  'This record which has been disclosed to you is protected by Federal confidentiality rules (42 CFR part 2). ' +
  'These rules prohibit you from using or disclosing this record, or testimony that describes the information contained in this record, ' +
  'in any civil, criminal, administrative, or legislative proceedings by any Federal, State, or local authority, against the patient, ' +
  'unless authorized by the consent of the patient, except as provided at 42 CFR 2.12(c)(5) or as authorized by a court in accordance with 42 CFR 2.64 or 2.65. ' +
  'In addition, the Federal rules prohibit you from making any other use or disclosure of this record unless at least one of the following applies: ' +
  'further use or disclosure is expressly permitted by the written consent of the individual whose information is being disclosed in this record ' +
  'or as otherwise permitted by 42 CFR part 2; you are a covered entity or business associate and have received the record for treatment, payment, ' +
  'or health care operations; or you have received the record from a covered entity or business associate as permitted by 45 CFR part 164, subparts A and E. ' +
  'A general authorization for the release of medical or other information is NOT sufficient to meet the required elements of written consent ' +
  'to further use or redisclose the record (see 42 CFR 2.31).';

/** C13, §2.12(d): what the responder may not do with what they received. */
export const USE_RESTRICTION =
  'Use this information only to respond to the crisis of this incident. It may not be used to initiate or substantiate any criminal charges ' +
  'against the patient or to conduct any criminal investigation of the patient (42 CFR 2.12(d)), and it may not be shared further. ' +
  'Do not store it outside this answer; ask again next time, since consent can be revoked at any moment.';
