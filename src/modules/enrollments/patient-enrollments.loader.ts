import { Injectable } from '@nestjs/common';
import type { Actor } from '@libs/authorization/actor.js';
import type { Enrollment } from './enrollment.js';
import { EnrollmentsService } from './enrollments.service.js';

interface Batch {
  patientIds: Set<string>;
  enrollments: Promise<Enrollment[]>;
}

/**
 * `Patient.enrollments` for every patient of one request at once (a DataLoader of one key kind):
 * the field is resolved once per patient of a page, and each would otherwise open a transaction
 * and append an audit event of its own (N+1). The patients asked for while the request's fields
 * resolve are collected until the event loop turns, then read in one transaction with one audit
 * event (C16).
 */
@Injectable()
export class PatientEnrollmentsLoader {
  /** One open batch per request: the actor the guard made for it. */
  private readonly open = new WeakMap<Actor, Batch>();

  constructor(private readonly enrollments: EnrollmentsService) {}

  load(actor: Actor, patientId: string): Promise<Enrollment[]> {
    let batch = this.open.get(actor);
    if (!batch) {
      const patientIds = new Set<string>();
      const enrollments = new Promise<Enrollment[]>((resolve, reject) => {
        // setImmediate, not a microtask: graphql-js starts every field of the page in one pass,
        // but Nest reaches the resolver through several awaits.
        setImmediate(() => {
          this.open.delete(actor);
          this.enrollments.forPatients(actor, [...patientIds]).then(resolve, reject);
        });
      });
      batch = { patientIds, enrollments };
      this.open.set(actor, batch);
    }
    batch.patientIds.add(patientId);
    return batch.enrollments.then((all) => all.filter((e) => e.patientId === patientId));
  }
}
