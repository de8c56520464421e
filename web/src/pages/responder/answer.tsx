import type { Ref } from 'preact';
import { useState } from 'preact/hooks';
import type { Answer } from './lookup-api';

type DisclosedRecord = Answer['records'][number];
type Contact = NonNullable<DisclosedRecord['careTeam']>[number];

const US = 'en-US';

/** `tel:` with the digits (and a leading +) only (RFC 3966), so every phone can dial it. */
export function telHref(phone: string): string {
  return `tel:${phone.trim().startsWith('+') ? '+' : ''}${phone.replace(/\D/g, '')}`;
}

/** A calendar date (YYYY-MM-DD) in words, the same in every time zone. */
function calendarDate(value: string): string {
  return new Date(`${value}T00:00:00Z`).toLocaleDateString(US, { dateStyle: 'long', timeZone: 'UTC' });
}

function instantDate(value: string): string {
  return new Date(value).toLocaleDateString(US, { dateStyle: 'long' });
}

export function clockTime(value: number | string): string {
  return new Date(value).toLocaleTimeString(US, { hour: 'numeric', minute: '2-digit' });
}

interface AnswerProps {
  answer: Answer;
  emergency: boolean;
  crisisLine: string;
  /** When the page removes the answer (WEB_ANSWER_TTL_SECONDS after it arrived). */
  removedAt: number;
  headingRef: Ref<HTMLHeadingElement>;
  /** `Refer`: the referral form, pre-filled with the person asked about. Shown with every answer alike (C9). */
  onRefer?: () => void;
}

/**
 * The answer, at a glance, in the region named "Answer". Every "no" is the one sentence below,
 * whatever the reason and however it was asked (C9): the same DOM, nothing that varies.
 */
export function AnswerView({ answer, emergency, crisisLine, removedAt, headingRef, onRefer }: AnswerProps) {
  return (
    <section class="answer" aria-labelledby="answer-heading">
      <h2 id="answer-heading" tabIndex={-1} ref={headingRef}>
        Answer
      </h2>
      {answer.outcome === 'INFORMATION_AVAILABLE' ? (
        <Disclosure answer={answer} emergency={emergency} removedAt={removedAt} />
      ) : (
        <NoInformation crisisLine={crisisLine} />
      )}
      {onRefer && (
        <div class="refer">
          <p>If the person agrees, refer them to a partner treatment provider instead.</p>
          <button type="button" class="button secondary" onClick={onRefer}>
            Refer
          </button>
        </div>
      )}
    </section>
  );
}

function NoInformation({ crisisLine }: { crisisLine: string }) {
  return (
    <>
      <p class="answer-lead">No information can be shared. This does not mean the person is or is not in treatment.</p>
      <p>Respond as you would for anyone in crisis. For advice now, call the crisis line.</p>
      <a class="call" href={telHref(crisisLine)}>
        Call the crisis line {crisisLine}
      </a>
    </>
  );
}

function Disclosure({ answer, emergency, removedAt }: { answer: Answer; emergency: boolean; removedAt: number }) {
  const [fullNotice, setFullNotice] = useState(false);
  return (
    <>
      {emergency && (
        <p class="emergency-mark">
          <strong>Medical emergency disclosure (42 CFR 2.51).</strong> It has been recorded with your name, and the treatment program has been notified.
        </p>
      )}
      {answer.records.map((record, index) => (
        <Record key={index} record={record} index={index} />
      ))}
      <div class="notice-line">
        <p>
          <strong>Protected by federal law (42 CFR part 2).</strong> Use it only for this crisis. Do not share it or keep it.
        </p>
        <button type="button" class="button secondary" aria-expanded={fullNotice} aria-controls="full-notice" onClick={() => setFullNotice(!fullNotice)}>
          Full notice
        </button>
        <div id="full-notice" class="full-notice" hidden={!fullNotice}>
          {answer.redisclosureNotice && (
            <>
              <h3>Notice of redisclosure (42 CFR 2.32)</h3>
              <p>{answer.redisclosureNotice}</p>
            </>
          )}
          {answer.useRestriction && (
            <>
              <h3>How this may be used (42 CFR 2.12(d))</h3>
              <p>{answer.useRestriction}</p>
            </>
          )}
        </div>
      </div>
      <p class="answer-time">
        Answer as of {clockTime(answer.asOf)}. It will be removed from this screen at {clockTime(removedAt)}.
      </p>
    </>
  );
}

function Record({ record, index }: { record: DisclosedRecord; index: number }) {
  const headingId = `record-${index}`;
  return (
    <article class="record" aria-labelledby={headingId}>
      <h3 id={headingId}>{record.programName ?? 'A treatment program'}</h3>
      {record.inTreatment !== null && (
        <p class="record-status">{record.inTreatment ? (record.treatmentSince ? `In treatment since ${calendarDate(record.treatmentSince)}` : 'In treatment') : 'Not in treatment'}</p>
      )}
      {record.careTeam && record.careTeam.length > 0 && (
        <>
          <h4>Care team</h4>
          <ul class="care-team">
            {record.careTeam.map((contact, i) => (
              <ContactView key={i} contact={contact} />
            ))}
          </ul>
        </>
      )}
      {record.engagementNotes && (
        <>
          <h4>How to approach</h4>
          <p class="notes">{record.engagementNotes}</p>
        </>
      )}
      <p class="consent">
        {record.basis === 'MEDICAL_EMERGENCY'
          ? "Disclosed under a medical emergency, without the person's consent."
          : `${record.consentScope ?? 'Disclosed with the person’s consent'}.${record.consentExpiresAt ? ` Consent expires ${instantDate(record.consentExpiresAt)}.` : ''}`}
      </p>
    </article>
  );
}

function ContactView({ contact }: { contact: Contact }) {
  return (
    <li class="contact">
      <p class="contact-name">
        {contact.name}
        <span class="contact-role">{contact.role}</span>
      </p>
      <a class="call" href={telHref(contact.phone)}>
        Call {contact.phone}
        <span class="visually-hidden"> ({contact.name})</span>
      </a>
      {contact.hours && <p class="contact-hours">Hours: {contact.hours}</p>}
      {contact.afterHoursPhone && (
        <a class="call secondary" href={telHref(contact.afterHoursPhone)}>
          After hours {contact.afterHoursPhone}
          <span class="visually-hidden"> ({contact.name})</span>
        </a>
      )}
    </li>
  );
}
