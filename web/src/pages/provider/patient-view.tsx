import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { graphql } from '../../api/graphql';
import type { Session } from '../../auth/session';
import { type Consent, ConsentForm, ConsentList, type Organization, PrintView, RevokeForm } from './consents-view';
import { type Enrollment, EnrollmentForm, EnrollmentList } from './enrollments';
import { CorrectForm, MergeForm } from './patient-forms';
import { problemText, when } from './problems';
import { PatientConsentsDocument, PatientEnrollmentsDocument, type PatientSummaryFragment } from './provider.generated';

type Mode =
  | { kind: 'list' }
  | { kind: 'record' }
  | { kind: 'supersede'; consent: Consent }
  | { kind: 'print'; consent: Consent }
  | { kind: 'revoke'; consent: Consent }
  | { kind: 'correct' }
  | { kind: 'merge'; otherId?: string }
  | { kind: 'enrollment'; enrollment?: Enrollment };

/**
 * A patient's screen: their details (correct, merge), enrollments with the care team, and
 * consents (record one with every §2.31 element in plain words, supersede one pre-filled from it,
 * print it for signature, revoke it). Everything in memory; nothing of the person in the address.
 */
export function PatientView({
  session,
  patient,
  status: initialStatus,
  onBack,
  onPatient,
}: {
  session: Session;
  patient: PatientSummaryFragment;
  status: string;
  onBack: () => void;
  onPatient: (p: PatientSummaryFragment) => void;
}) {
  const [consents, setConsents] = useState<Consent[] | undefined>();
  const [enrollments, setEnrollments] = useState<Enrollment[] | undefined>();
  const [recipients, setRecipients] = useState<Organization[]>([]);
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const [status, setStatus] = useState(initialStatus);
  const [problem, setProblem] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);

  const load = async () => {
    try {
      const [consentsResult, enrollmentsResult] = await Promise.all([
        graphql(session, PatientConsentsDocument, { patientId: patient.id }),
        graphql(session, PatientEnrollmentsDocument, { id: patient.id }),
      ]);
      setConsents(consentsResult.consents);
      setRecipients(consentsResult.recipientOrganizations);
      setEnrollments(enrollmentsResult.patient?.enrollments ?? []);
    } catch (error) {
      setProblem(problemText(error));
    }
  };
  useEffect(() => {
    void load();
  }, [patient.id]);
  // Before paint, not in an effect after it: an effect could take the focus back from a control
  // the person had already reached (a quick Enter on 'Merge records' after Cancel went nowhere).
  useLayoutEffect(() => {
    // A form opened (record, supersede, revoke, correct, merge, enrollment): its own heading takes
    // the focus, so the next Tab is its first field; back on the list, the patient's name does.
    const formHeading = mode.kind === 'list' || mode.kind === 'print' ? null : document.querySelector<HTMLElement>('main form > h2');
    if (formHeading) {
      formHeading.tabIndex = -1;
      formHeading.focus();
    } else heading.current?.focus();
  }, [mode]);

  const list = () => setMode({ kind: 'list' });
  const done = (message: string, consent: Consent) => {
    setStatus(message);
    setConsents((known) => [consent, ...(known ?? []).filter((c) => c.id !== consent.id)]);
    void load();
    list();
  };
  const enrollmentDone = (enrollment: Enrollment, message: string) => {
    setStatus(message);
    setEnrollments((known) => [enrollment, ...(known ?? []).filter((e) => e.id !== enrollment.id)]);
    void load();
    list();
  };
  const patientDone = (message: string, next: PatientSummaryFragment) => {
    setStatus(message);
    onPatient(next);
    list();
    if (next.id === patient.id) void load();
  };

  if (mode.kind === 'print') return <PrintView consent={mode.consent} patient={patient} onBack={list} headingRef={heading} />;

  return (
    <>
      <h1>Patients</h1>
      <p class="status" role="status">
        {status}
      </p>
      {problem && (
        <p class="notice error" role="alert">
          {problem}
        </p>
      )}
      <h2 tabIndex={-1} ref={heading}>{`${patient.givenName} ${patient.familyName}, born ${patient.dateOfBirth}`}</h2>
      {mode.kind === 'record' && <ConsentForm session={session} patient={patient} recipients={recipients} onDone={(c) => done('Consent recorded.', c)} onCancel={list} />}
      {mode.kind === 'supersede' && (
        <ConsentForm
          session={session}
          patient={patient}
          recipients={recipients}
          from={mode.consent}
          onDone={(c) => done(`Consent version ${c.version} recorded; version ${mode.consent.version} is replaced.`, c)}
          onCancel={list}
        />
      )}
      {mode.kind === 'revoke' && <RevokeForm session={session} consent={mode.consent} onDone={(c) => done('Consent revoked.', c)} onCancel={list} />}
      {mode.kind === 'correct' && (
        <CorrectForm
          session={session}
          patient={patient}
          onDone={(p) => patientDone('Details corrected.', p)}
          onMergeInstead={(otherId) => setMode({ kind: 'merge', otherId })}
          onCancel={list}
        />
      )}
      {mode.kind === 'merge' && (
        <MergeForm session={session} patient={patient} otherId={mode.otherId} onDone={(survivor) => patientDone('Records merged: one record now holds their enrollments and consents.', survivor)} onCancel={list} />
      )}
      {mode.kind === 'enrollment' && <EnrollmentForm session={session} patientId={patient.id} enrollment={mode.enrollment} onDone={enrollmentDone} onCancel={list} />}
      {mode.kind === 'list' && (
        <>
          <div class="actions">
            <button type="button" class="button" onClick={() => setMode({ kind: 'record' })}>
              Record consent
            </button>
            <button type="button" class="button secondary" onClick={onBack}>
              Back to patients
            </button>
          </div>
          <section aria-labelledby="details-heading">
            <h2 id="details-heading">Details</h2>
            <dl class="summary">
              <dt>Given name</dt>
              <dd>{patient.givenName}</dd>
              <dt>Family name</dt>
              <dd>{patient.familyName}</dd>
              <dt>Date of birth</dt>
              <dd>{patient.dateOfBirth}</dd>
              <dt>Aliases</dt>
              <dd>{patient.aliases.length ? patient.aliases.join(', ') : 'None'}</dd>
              <dt>Registered</dt>
              <dd>{when(patient.createdAt)}</dd>
            </dl>
            <div class="actions">
              <button type="button" class="button secondary" onClick={() => setMode({ kind: 'correct' })}>
                Correct details
              </button>
              <button type="button" class="button secondary" onClick={() => setMode({ kind: 'merge' })}>
                Merge records
              </button>
            </div>
          </section>
          <EnrollmentList enrollments={enrollments} onRecord={() => setMode({ kind: 'enrollment' })} onEdit={(enrollment) => setMode({ kind: 'enrollment', enrollment })} />
          <ConsentList
            consents={consents}
            onPrint={(consent) => setMode({ kind: 'print', consent })}
            onSupersede={(consent) => setMode({ kind: 'supersede', consent })}
            onRevoke={(consent) => setMode({ kind: 'revoke', consent })}
          />
        </>
      )}
    </>
  );
}
