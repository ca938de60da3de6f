// Labelled form fields. Each keeps a line under it for its error, empty until there is one, so
// errors appear without moving the page; the error is tied to its input (aria-describedby,
// aria-invalid). Values come back from the action, so the form works without JavaScript.
import { createContext, useContext, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorKind, type FieldErrors, type Values } from '../lib/claim-form.js';
import { zoneOffsetLabel } from '../lib/zoned-time.js';

export interface FormState {
  values: Values;
  errors: FieldErrors;
}

export const FormStateContext = createContext<FormState>({ values: {}, errors: {} });

const idOf = (name: string) => `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

function useFieldError(name: string): string | undefined {
  const { errors, values } = useContext(FormStateContext);
  const { t } = useTranslation();
  const message = errors[name];
  // The pointer says which field; the catalog words the mistake for a person (the API's own
  // message when the catalog has nothing for that kind of field).
  if (!message) return undefined;
  const value = values[name] ?? '';
  const kind = errorKind(name);
  // An empty field that needed a value: say so, whatever kind of value it takes.
  const key = value.trim() === '' && kind !== 'choice' ? 'required' : kind;
  return t(`fieldErrors.${key}`, { defaultValue: message, value });
}

function FieldShell(props: { name: string; label: string; hint?: ReactNode; aside?: ReactNode; children: (aria: Record<string, unknown>) => ReactNode; className?: string }) {
  const error = useFieldError(props.name);
  const id = idOf(props.name);
  const describedBy = [props.hint ? `${id}-hint` : '', `${id}-error`].filter(Boolean).join(' ');
  return (
    <div className={`field ${props.className ?? ''}`} data-invalid={error ? 'true' : undefined}>
      <label htmlFor={id}>{props.label}</label>
      {props.hint ? (
        <p className="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <div className="control">
        {props.children({ id, name: props.name, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
        {props.aside ? <span className="aside">{props.aside}</span> : null}
      </div>
      <p className="error" id={`${id}-error`} data-error-for={props.name}>
        {error ?? ''}
      </p>
    </div>
  );
}

export function TextField(props: {
  name: string;
  label: string;
  hint?: ReactNode;
  type?: string;
  autoComplete?: string;
  inputMode?: 'text' | 'decimal' | 'numeric' | 'email';
  required?: boolean;
  className?: string;
  list?: string;
  aside?: ReactNode;
  placeholder?: string;
  onValue?: (value: string) => void;
}) {
  const { values } = useContext(FormStateContext);
  return (
    <FieldShell name={props.name} label={props.label} hint={props.hint} aside={props.aside} className={props.className}>
      {(aria) => (
        <input
          {...aria}
          type={props.type ?? 'text'}
          defaultValue={values[props.name] ?? ''}
          autoComplete={props.autoComplete}
          inputMode={props.inputMode}
          aria-required={props.required || undefined}
          list={props.list}
          placeholder={props.placeholder}
          onChange={props.onValue ? (e) => props.onValue!(e.currentTarget.value) : undefined}
        />
      )}
    </FieldShell>
  );
}

export function TextArea(props: { name: string; label: string; hint?: ReactNode; rows?: number }) {
  const { values } = useContext(FormStateContext);
  return (
    <FieldShell name={props.name} label={props.label} hint={props.hint}>
      {(aria) => <textarea {...aria} rows={props.rows ?? 3} defaultValue={values[props.name] ?? ''} />}
    </FieldShell>
  );
}

export function SelectField(props: { name: string; label: string; hint?: ReactNode; options: { value: string; label: string }[]; className?: string }) {
  const { values } = useContext(FormStateContext);
  return (
    <FieldShell name={props.name} label={props.label} hint={props.hint} className={props.className}>
      {(aria) => (
        <select {...aria} defaultValue={values[props.name] ?? props.options[0]?.value}>
          {props.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

/** A group of radio buttons: a fieldset whose legend is the question. */
export function Choice(props: {
  name: string;
  legend: string;
  hint?: ReactNode;
  options: { value: string; label: string; hint?: string }[];
  defaultValue?: string;
  className?: string;
  onValue?: (value: string) => void;
}) {
  const { values } = useContext(FormStateContext);
  const error = useFieldError(props.name);
  const id = idOf(props.name);
  const current = values[props.name] ?? props.defaultValue;
  return (
    <fieldset
      className={`field choice ${props.className ?? ''}`}
      data-invalid={error ? 'true' : undefined}
      aria-describedby={`${props.hint ? `${id}-hint ` : ''}${id}-error`}
      id={id}
      tabIndex={-1}
    >
      <legend>{props.legend}</legend>
      {props.hint ? (
        <p className="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <div className="options">
        {props.options.map((o) => (
          <label key={o.value} className="option">
            <input
              type="radio"
              name={props.name}
              value={o.value}
              defaultChecked={current === o.value}
              aria-invalid={error ? true : undefined}
              onChange={props.onValue ? () => props.onValue!(o.value) : undefined}
            />
            <span>
              {o.label}
              {o.hint ? <small>{o.hint}</small> : null}
            </span>
          </label>
        ))}
      </div>
      <p className="error" id={`${id}-error`} data-error-for={props.name}>
        {error ?? ''}
      </p>
    </fieldset>
  );
}

export function Checkbox(props: { name: string; label: string; onValue?: (checked: boolean) => void }) {
  const { values } = useContext(FormStateContext);
  return (
    <label className="checkbox">
      <input
        type="checkbox"
        name={props.name}
        value="yes"
        defaultChecked={values[props.name] === 'yes'}
        onChange={props.onValue ? (e) => props.onValue!(e.currentTarget.checked) : undefined}
      />
      <span>{props.label}</span>
    </label>
  );
}

interface Suggestion {
  value: string;
  label: string;
  zone?: string;
}

/**
 * A text field with suggestions from /lookup/<what> (a datalist filled as the person types).
 * Without JavaScript it is a plain field: the code or the suggestion's text both work.
 */
export function LookupField(props: {
  name: string;
  label: string;
  hint?: ReactNode;
  what: 'airports' | 'airlines';
  className?: string;
  onZone?: (zone: string | undefined) => void;
}) {
  const listId = useId();
  const [items, setItems] = useState<Suggestion[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const zones = useRef(new Map<string, string>());
  const { onZone } = props;
  const lookup = (text: string) => {
    clearTimeout(timer.current);
    const codeTyped = /^([A-Za-z0-9]{2,3})\b/.exec(text.trim())?.[1]?.toUpperCase();
    if (codeTyped && zones.current.has(codeTyped)) onZone?.(zones.current.get(codeTyped));
    if (text.trim().length < 2) return;
    timer.current = setTimeout(async () => {
      const response = await fetch(`/lookup/${props.what}?q=${encodeURIComponent(text)}`);
      if (!response.ok) return;
      const found = (await response.json()) as { iata: string; name: string; city?: string; zone?: string }[];
      for (const f of found) if (f.zone) zones.current.set(f.iata, f.zone);
      setItems(found.map((f) => ({ value: `${f.iata} — ${f.name}${f.city ? ` (${f.city})` : ''}`, label: f.iata, zone: f.zone })));
      const now = /^([A-Za-z0-9]{2,3})\b/.exec(text.trim())?.[1]?.toUpperCase();
      if (now && zones.current.has(now)) onZone?.(zones.current.get(now));
    }, 150);
  };
  useEffect(() => () => clearTimeout(timer.current), []);
  return (
    <>
      <TextField name={props.name} label={props.label} hint={props.hint} className={props.className} list={listId} autoComplete="off" onValue={lookup} />
      <datalist id={listId}>
        {items.map((i) => (
          <option key={i.value} value={i.value} />
        ))}
      </datalist>
    </>
  );
}

/** A local date and time at an airport, with the airport's zone shown beside the field. */
export function AirportTime(props: { name: string; label: string; hint?: ReactNode; zone?: string; className?: string }) {
  const { t } = useTranslation();
  const { values } = useContext(FormStateContext);
  const [local, setLocal] = useState(values[props.name] ?? '');
  const aside = props.zone ? (
    <span className="zone" data-zone-for={props.name}>
      {props.zone.replaceAll('_', ' ')} · {zoneOffsetLabel(props.zone, local || undefined)}
    </span>
  ) : (
    <span className="zone muted" data-zone-for={props.name}>
      {t('form.zoneUnknown')}
    </span>
  );
  return <TextField name={props.name} label={props.label} hint={props.hint} type="datetime-local" className={props.className} aside={aside} onValue={setLocal} />;
}
