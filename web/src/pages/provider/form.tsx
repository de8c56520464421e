import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { type Problem, ruleText, sentenceCase } from './problems';

/** What a field's control needs to be named, described and flagged (spread onto the input or select). */
export interface ControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

/**
 * One labelled field of a provider form: label above, an optional hint, the API's problem for it
 * in words (repeated from the summary), then the control. The control is given its id and
 * descriptions, so every field is labelled and announced the same way.
 */
export function Field({
  id,
  label,
  hint,
  problem,
  words = ruleText,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  problem?: Problem;
  words?: (label: string, problem: Problem) => string;
  children: (control: ControlProps) => ComponentChildren;
}) {
  const describedBy = [hint ? `${id}-hint` : '', problem ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={problem ? 'field field-error-state' : 'field'}>
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {problem && (
        <p class="field-error" id={`${id}-error`}>
          {words(label, problem)}
        </p>
      )}
      {children({ id, 'aria-describedby': describedBy, ...(problem ? { 'aria-invalid': true as const } : {}) })}
    </div>
  );
}

/** A text, date or date-time field whose value is held by the caller. */
export function InputField({
  id,
  label,
  hint,
  problem,
  words,
  type = 'text',
  value,
  onValue,
}: {
  id: string;
  label: string;
  hint?: string;
  problem?: Problem;
  words?: (label: string, problem: Problem) => string;
  type?: 'text' | 'date' | 'datetime-local' | 'tel';
  value: string;
  onValue: (value: string) => void;
}) {
  return (
    <Field id={id} label={label} hint={hint} problem={problem} words={words}>
      {(control) => {
        const onInput = (e: Event) => onValue((e.currentTarget as HTMLInputElement).value);
        // One branch per type: preact's input typings tie the allowed attributes to a literal type.
        if (type === 'date') return <input {...control} type="date" autoComplete="off" value={value} onInput={onInput} />;
        if (type === 'datetime-local') return <input {...control} type="datetime-local" autoComplete="off" value={value} onInput={onInput} />;
        if (type === 'tel') return <input {...control} type="tel" autoComplete="off" value={value} onInput={onInput} />;
        return <input {...control} type="text" autoComplete="off" value={value} onInput={onInput} />;
      }}
    </Field>
  );
}

/** The problem of `name` or of anything under it (`careTeam` finds `careTeam.0.phone`). */
export function problemFor(problems: Problem[], name: string): Problem | undefined {
  return problems.find((p) => p.field === name || p.field.startsWith(`${name}.`) || p.field.startsWith(`${name}[`));
}

/**
 * A form's problems from `extensions.problems`: each shown under its field (`errorFor`) and in a
 * summary that takes the focus when they arrive (GOV.UK's error summary).
 */
export function useProblems(summaryId = 'form-problems') {
  const [problems, setProblems] = useState<Problem[]>([]);
  const summary = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problems.length) summary.current?.focus();
  }, [problems]);
  const errorFor = (name: string) => problemFor(problems, name);
  const Summary = ({ words = (p: Problem) => ruleText(sentenceCase(p.field), p) }: { words?: (p: Problem) => string }) =>
    problems.length > 0 ? (
      <div class="error-summary" role="alert" aria-labelledby={summaryId} tabIndex={-1} ref={summary}>
        <h2 id={summaryId}>There is a problem</h2>
        <ul>
          {problems.map((p) => (
            <li key={`${p.field}-${p.rule}`}>{words(p)}</li>
          ))}
        </ul>
      </div>
    ) : null;
  return { problems, setProblems, errorFor, Summary };
}
