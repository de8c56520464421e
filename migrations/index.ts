import { InitialSchema1795461735262 } from './1795461735262-InitialSchema.js';
import { Consents1795463000000 } from './1795463000000-Consents.js';
import { EmergencyAccess1795464000000 } from './1795464000000-EmergencyAccess.js';
import { AuditSealing1795466000000 } from './1795466000000-AuditSealing.js';
import { EncryptFreeText1795467100000 } from './1795467100000-EncryptFreeText.js';
import { ProgramNotifications1795468000000 } from './1795468000000-ProgramNotifications.js';
import { PatientIdentity1795468100000 } from './1795468100000-PatientIdentity.js';
import { Partnerships1795469000000 } from './1795469000000-Partnerships.js';
import { Referrals1795469100000 } from './1795469100000-Referrals.js';
import { OrganizationDeactivation1795469500000 } from './1795469500000-OrganizationDeactivation.js';
import { RateLimitWindow1795469600000 } from './1795469600000-RateLimitWindow.js';
import { DeactivationEndsPartnerships1795469700000 } from './1795469700000-DeactivationEndsPartnerships.js';

/** Every migration, in order. A landed migration is never edited: add a new one. */
export const MIGRATIONS = [
  InitialSchema1795461735262,
  Consents1795463000000,
  EmergencyAccess1795464000000,
  AuditSealing1795466000000,
  EncryptFreeText1795467100000,
  ProgramNotifications1795468000000,
  PatientIdentity1795468100000,
  Partnerships1795469000000,
  Referrals1795469100000,
  OrganizationDeactivation1795469500000,
  RateLimitWindow1795469600000,
  DeactivationEndsPartnerships1795469700000,
];
