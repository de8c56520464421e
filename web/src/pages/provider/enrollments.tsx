import { useEffect, useRef, useState } from 'preact/hooks';
import { graphql } from '../../api/graphql';
import type { Session } from '../../auth/session';
import { Field, InputField, useProblems } from './form';
import { type Problem, problemsOf, problemText, ruleText, sentenceCase } from './problems';
import { type CareTeamContactInput, type EnrollmentViewFragment, RecordEnrollmentDocument, type ServiceType, UpdateEnrollmentDocument } from './provider.generated';

export type Enrollment = EnrollmentViewFragment;
type Member = { name: string; role: string; phone: string; afterHoursPhone: string; hours: string };

const SERVICE_TYPES: Array<{ value: ServiceType; label: string }> = [
  { value: 'SUD_TREATMENT', label: 'Substance use disorder treatment' },
  { value: 'OPIOID_TREATMENT', label: 'Opioid treatment' },
  { value: 'MENTAL_HEALTH', label: 'Mental health' },
  { value: 'CASE_MANAGEMENT', label: 'Case management' },
  { value: 'PEER_RECOVERY', label: 'Peer recovery support' },
];
const serviceWords = (s: string) => SERVICE_TYPES.find((x) => x.value === s)?.label ?? s;
const EMPTY_MEMBER: Member = { name: '', role: '', phone: '', afterHoursPhone: '', hours: '' };
const MAX_MEMBERS = 10;

/** `careTeam.1.phone` -> `Care team member 2: phone …`; other fields by their sentence-case label. */
function enrollmentProblemWords(p: Problem): string {
  const member = /^careTeam\.(\d+)\.(\w+)$/.exec(p.field);
  if (member) return `Care team member ${Number(member[1]) + 1}: ${ruleText(sentenceCase(member[2]), p)}`;
  return ruleText(sentenceCase(p.field), p);
}

/** A patient's enrollments, each with its care team (phones as links to call) and engagement notes. */
export function EnrollmentList({ enrollments, onRecord, onEdit }: { enrollments: Enrollment[] | undefined; onRecord: () => void; onEdit: (e: Enrollment) => void }) {
  return (
    <section aria-labelledby="enrollments-heading">
      <h2 id="enrollments-heading">Enrollments</h2>
      {!enrollments && <p>Loading enrollments…</p>}
      {enrollments && enrollments.length === 0 && <p>No enrollment recorded for this patient.</p>}
      {enrollments?.map((e) => (
        <article class="consent-card" key={e.id} aria-labelledby={`enrollment-${e.id}`}>
          <h3 id={`enrollment-${e.id}`}>{`Enrollment: ${e.programName}`}</h3>
          <dl class="summary">
            <dt>Service</dt>
            <dd>{serviceWords(e.serviceType)}</dd>
            <dt>Since</dt>
            <dd>{e.endedOn ? `${e.startedOn}, ended ${e.endedOn}` : e.startedOn}</dd>
            <dt>Engagement notes</dt>
            <dd>{e.engagementNotes ?? 'None'}</dd>
          </dl>
          <h4>Care team</h4>
          {e.careTeam.length === 0 && <p>No one listed.</p>}
          <ul class="care-team">
            {e.careTeam.map((c, i) => (
              <li key={i}>
                <strong>{c.name}</strong>, {c.role}: <a href={`tel:${c.phone.replace(/[^\d+]/g, '')}`}>{c.phone}</a>
                {c.afterHoursPhone && (
                  <>
                    {', after hours '}
                    <a href={`tel:${c.afterHoursPhone.replace(/[^\d+]/g, '')}`}>{c.afterHoursPhone}</a>
                  </>
                )}
                {c.hours && ` (${c.hours})`}
              </li>
            ))}
          </ul>
          {e.status === 'ACTIVE' && (
            <div class="actions">
              <button type="button" class="button secondary" aria-describedby={`enrollment-${e.id}`} onClick={() => onEdit(e)}>
                Edit enrollment
              </button>
            </div>
          )}
        </article>
      ))}
      <div class="actions">
        <button type="button" class="button secondary" onClick={onRecord}>
          Record enrollment
        </button>
      </div>
    </section>
  );
}

/**
 * Records an enrollment, or corrects one (updateEnrollment): program name, the care team (the list
 * sent replaces the one stored), engagement notes. The API's problems are shown at each field.
 */
export function EnrollmentForm({
  session,
  patientId,
  enrollment,
  onDone,
  onCancel,
}: {
  session: Session;
  patientId: string;
  enrollment?: Enrollment;
  onDone: (e: Enrollment, message: string) => void;
  onCancel: () => void;
}) {
  const [programName, setProgramName] = useState(enrollment?.programName ?? '');
  const [serviceType, setServiceType] = useState<ServiceType>('SUD_TREATMENT');
  const [startedOn, setStartedOn] = useState('');
  const [engagementNotes, setEngagementNotes] = useState(enrollment?.engagementNotes ?? '');
  const [team, setTeam] = useState<Member[]>(
    enrollment?.careTeam.length
      ? enrollment.careTeam.map((c) => ({ name: c.name, role: c.role, phone: c.phone, afterHoursPhone: c.afterHoursPhone ?? '', hours: c.hours ?? '' }))
      : [{ ...EMPTY_MEMBER }],
  );
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');
  const { setProblems, errorFor, Summary } = useProblems('enrollment-problems');
  // Keyboard users land in the member just added, or back on "Add care team member" after a removal.
  const [focusAfter, setFocusAfter] = useState<{ member: number } | undefined>();
  const addButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (focusAfter) document.getElementById(`careTeam.${focusAfter.member}.name`)?.focus();
    setFocusAfter(undefined);
  }, [focusAfter]);

  const setMember = (index: number, name: keyof Member) => (value: string) => setTeam(team.map((m, i) => (i === index ? { ...m, [name]: value } : m)));
  const careTeam = (): CareTeamContactInput[] =>
    team.map((m) => ({ name: m.name.trim(), role: m.role.trim(), phone: m.phone.trim(), afterHoursPhone: m.afterHoursPhone.trim() || undefined, hours: m.hours.trim() || undefined }));

  const submit = async (event: Event) => {
    event.preventDefault();
    setProblem('');
    if (!enrollment && !startedOn) {
      setProblems([{ field: 'startedOn', rule: 'REQUIRED' }]);
      return;
    }
    setProblems([]);
    setBusy(true);
    try {
      if (enrollment) {
        const result = await graphql(session, UpdateEnrollmentDocument, {
          input: { enrollmentId: enrollment.id, programName: programName.trim(), careTeam: careTeam(), engagementNotes: engagementNotes.trim() || null },
        });
        onDone(result.updateEnrollment, 'Enrollment saved.');
      } else {
        const result = await graphql(session, RecordEnrollmentDocument, {
          input: { patientId, programName: programName.trim(), serviceType, startedOn, careTeam: careTeam(), engagementNotes: engagementNotes.trim() || undefined },
        });
        onDone(result.recordEnrollment, 'Enrollment recorded.');
      }
    } catch (error) {
      const found = problemsOf(error);
      if (found.length) setProblems(found);
      else setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  };

  const title = enrollment ? `Edit enrollment: ${enrollment.programName}` : 'Record enrollment';
  return (
    <form onSubmit={submit} autoComplete="off" noValidate aria-labelledby="enrollment-form-heading">
      <h2 id="enrollment-form-heading">{title}</h2>
      <p>What responders may be told, if a consent allows it: how to reach the care team and how to approach the person. No clinical detail.</p>
      <Summary words={enrollmentProblemWords} />
      {problem && (
        <p class="notice error" role="alert">
          {problem}
        </p>
      )}
      <InputField id="programName" label="Program name" problem={errorFor('programName')} value={programName} onValue={setProgramName} />
      {!enrollment && (
        <>
          <Field id="serviceType" label="Service type" problem={errorFor('serviceType')}>
            {(control) => (
              <select {...control} value={serviceType} onChange={(e) => setServiceType(e.currentTarget.value as ServiceType)}>
                {SERVICE_TYPES.map((s) => (
                  <option key={s.value} value={s.value}>
                    {s.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <InputField id="startedOn" label="Started on" hint="Not in the future." type="date" problem={errorFor('startedOn')} value={startedOn} onValue={setStartedOn} />
        </>
      )}
      <fieldset class={errorFor('careTeam') && !/^careTeam\.\d/.test(errorFor('careTeam')!.field) ? 'field field-error-state' : 'field'}>
        <legend>Care team</legend>
        <p class="hint">{`One to ${MAX_MEMBERS} ways to reach the care team. What you save replaces the list.`}</p>
        {team.map((m, i) => (
          <fieldset class="field member" key={i}>
            <legend>{`Care team member ${i + 1}`}</legend>
            <InputField id={`careTeam.${i}.name`} label="Name" problem={errorFor(`careTeam.${i}.name`)} value={m.name} onValue={setMember(i, 'name')} />
            <InputField id={`careTeam.${i}.role`} label="Role" hint='For example "Case manager" or "Prescriber on call".' problem={errorFor(`careTeam.${i}.role`)} value={m.role} onValue={setMember(i, 'role')} />
            <InputField id={`careTeam.${i}.phone`} label="Phone" type="tel" problem={errorFor(`careTeam.${i}.phone`)} value={m.phone} onValue={setMember(i, 'phone')} />
            <InputField
              id={`careTeam.${i}.afterHoursPhone`}
              label="After hours phone"
              hint="Optional."
              type="tel"
              problem={errorFor(`careTeam.${i}.afterHoursPhone`)}
              value={m.afterHoursPhone}
              onValue={setMember(i, 'afterHoursPhone')}
            />
            <InputField id={`careTeam.${i}.hours`} label="Hours" hint='Optional: when they can be reached, for example "Mon–Fri 9–5".' problem={errorFor(`careTeam.${i}.hours`)} value={m.hours} onValue={setMember(i, 'hours')} />
            {team.length > 1 && (
              <button
                type="button"
                class="button secondary"
                onClick={() => {
                  setTeam(team.filter((_, j) => j !== i));
                  // "Add care team member" is already on the page: move the focus there now, before
                  // this button is removed and the browser drops the focus to the page.
                  // (Not through the effect after drawing: by then the person may have moved on.)
                  addButton.current?.focus();
                }}
              >
                {`Remove care team member ${i + 1}`}
              </button>
            )}
          </fieldset>
        ))}
        {team.length < MAX_MEMBERS && (
          <button
            type="button"
            class="button secondary"
            ref={addButton}
            onClick={() => {
              setTeam([...team, { ...EMPTY_MEMBER }]);
              setFocusAfter({ member: team.length });
            }}
          >
            Add care team member
          </button>
        )}
      </fieldset>
      <Field id="engagementNotes" label="Engagement notes" hint="Optional: how to approach the person, written for responders. No clinical detail." problem={errorFor('engagementNotes')}>
        {(control) => <textarea {...control} rows={4} value={engagementNotes} onInput={(e) => setEngagementNotes(e.currentTarget.value)} />}
      </Field>
      <div class="actions">
        <button type="submit" class="button" disabled={busy}>
          {enrollment ? 'Save enrollment' : 'Record enrollment'}
        </button>
        <button type="button" class="button secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
