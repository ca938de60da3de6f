// The claimant portal: what Arbiter does, then the claim form (flight or card payment), a
// preview through the committee's own decide path, and filing. Works without JavaScript: every
// button is a form submission the action answers with the values and per-field errors.
import { useEffect, useRef, useState } from 'react';
import { data, Form, Link, redirect, useActionData, useLoaderData, useNavigation, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { WebContext } from '../context.js';
import {
  CHANNELS,
  DELIVERY,
  DISRUPTIONS,
  FLIGHT_RULES,
  MAX_LEGS,
  NETWORKS,
  REASON_KEYS,
  fieldForPointer,
  fieldNames,
  legCount,
  type FieldErrors,
  type Kind,
  type Values,
} from '../lib/claim-form.js';
import { buildRecord } from '../lib/claim-record.server.js';
import { caseCookieHeader } from '../lib/case-access.server.js';
import { detectLang } from '../i18n/detect.server.js';
import { localizeVerdict } from '../i18n/explanations.server.js';
import { AirportTime, Checkbox, Choice, FormStateContext, LookupField, SelectField, TextArea, TextField } from '../components/fields.js';
import { money } from '../lib/format.js';

export const meta: MetaFunction = () => [{ title: 'Arbiter — fair, checkable decisions on flight and card disputes' }];

export function loader({ request }: LoaderFunctionArgs) {
  const kind: Kind = new URL(request.url).searchParams.get('kind') === 'chargeback' ? 'chargeback' : 'flight';
  return { kind };
}

interface Preview {
  outcome: 'claimant' | 'respondent';
  award: { amount: number; currency: string } | null;
  explanation: string;
  grounds: string[];
  review: boolean;
  model: string;
  jurisdiction: string;
}

interface ActionResult {
  kind: Kind;
  values: Values;
  errors: FieldErrors;
  /** Errors no field shows (should not happen; shown above the buttons). */
  formErrors: string[];
  zones: Record<string, string>;
  preview?: Preview;
}

const anonymous = { kind: 'anonymous' } as const;

function mapErrors(kind: Kind, values: Values, list: { pointer: string; message: string }[], muted: string[]) {
  const fields = fieldNames(kind, legCount(values));
  const errors: FieldErrors = {};
  const formErrors: string[] = [];
  for (const e of list) {
    if (muted.includes(e.pointer)) continue;
    const field = fieldForPointer(e.pointer, kind, fields);
    if (field) errors[field] ??= e.message;
    else formErrors.push(`${e.pointer || '/'}: ${e.message}`);
  }
  return { errors, formErrors };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = context as WebContext;
  const form = await request.formData();
  const kind: Kind = form.get('kind') === 'chargeback' ? 'chargeback' : 'flight';
  const intent = String(form.get('intent') ?? 'preview');
  const values: Values = {};
  const files: File[] = [];
  for (const [key, value] of form) {
    if (typeof value === 'string') {
      if (key !== 'intent') values[key] = value;
    } else if (key === 'evidence' && value.size > 0) files.push(value);
  }
  const result: ActionResult = { kind, values, errors: {}, formErrors: [], zones: {} };

  if (intent === 'add-leg' || intent === 'remove-leg') {
    const n = legCount(values);
    if (intent === 'add-leg' && n < MAX_LEGS) {
      values[`leg.${n}.from`] = values[`leg.${n - 1}.to`] ?? '';
      values[`leg.${n}.to`] = '';
    }
    if (intent === 'remove-leg' && n > 1) for (const part of ['from', 'to', 'flightNumber']) delete values[`leg.${n - 1}.${part}`];
    return result;
  }

  const built = buildRecord(kind, values, ctx);
  result.zones = built.zones;
  const valid = ctx.validate(built.record);
  if (!valid.ok) {
    Object.assign(result, mapErrors(kind, values, valid.errors, built.muted));
    return data(result, { status: 400 });
  }

  if (intent === 'file') {
    const filed = ctx.services.cases.file(valid.record, anonymous);
    const claimant = { kind: 'claimant', caseId: filed.id } as const;
    let rejected = 0;
    for (const file of files) {
      try {
        ctx.services.evidence.upload(filed.id, claimant, { bytes: Buffer.from(await file.arrayBuffer()), filename: file.name }, ctx.clientAddress);
      } catch {
        rejected += 1;
      }
    }
    const url = new URL(request.url);
    // The portal files anonymously, and an anonymous filer is the claimant: it always gets a token.
    if (filed.accessToken === null) throw new Error('an anonymous filing came back without a claimant token');
    return redirect(`/case/${filed.id}?filed=1${rejected ? `&rejected=${rejected}` : ''}`, {
      headers: { 'Set-Cookie': caseCookieHeader(filed.id, filed.accessToken, url.protocol === 'https:') },
    });
  }

  const decided = await ctx.preview(valid.record);
  if (!decided.ok) {
    Object.assign(result, mapErrors(kind, values, [{ pointer: decided.error.field, message: decided.error.message }], []));
    return data(result, { status: 400 });
  }
  // The explanation in the page's language (the card writes it in English).
  const v = localizeVerdict(decided.verdict, await detectLang(request));
  result.preview = { outcome: v.outcome, award: v.award, explanation: v.explanation, grounds: v.grounds, review: v.review, model: v.model.id, jurisdiction: valid.record.jurisdiction };
  return result;
}

export default function Portal() {
  const loaded = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>() as ActionResult | undefined;
  const kind = acted?.kind ?? loaded.kind;
  const values = acted?.kind === kind ? acted.values : {};
  const errors = acted?.kind === kind ? acted.errors : {};
  const { t, i18n } = useTranslation();
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting';
  const formRef = useRef<HTMLFormElement>(null);

  // After a submission with mistakes, take the keyboard to the first one on the page.
  useEffect(() => {
    if (!acted || Object.keys(acted.errors).length === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [acted]);

  const errorCount = Object.keys(errors).length + (acted?.formErrors.length ?? 0);
  return (
    <>
      <section className="intro" aria-labelledby="intro-title">
        <h1 id="intro-title">{t('portal.title')}</h1>
        <p className="lede">{t('portal.lede')}</p>
        <ol className="steps">
          <li>{t('portal.step1')}</li>
          <li>{t('portal.step2')}</li>
          <li>{t('portal.step3')}</li>
        </ol>
      </section>

      <section className="claim" aria-labelledby="claim-title">
        <h2 id="claim-title">{t('portal.claimTitle')}</h2>
        <nav className="tabs" aria-label={t('portal.kindLabel')}>
          <Link to="/?kind=flight#claim-title" aria-current={kind === 'flight' ? 'page' : undefined} preventScrollReset>
            {t('portal.kindFlight')}
          </Link>
          <Link to="/?kind=chargeback#claim-title" aria-current={kind === 'chargeback' ? 'page' : undefined} preventScrollReset>
            {t('portal.kindChargeback')}
          </Link>
        </nav>
        <FormStateContext.Provider value={{ values, errors }}>
          <Form method="post" encType="multipart/form-data" noValidate ref={formRef} key={kind} className="claim-form" aria-describedby="form-status">
            <input type="hidden" name="kind" value={kind} />
            {kind === 'flight' ? <FlightFields values={values} zones={acted?.zones ?? {}} /> : <ChargebackFields />}
            <fieldset className="group">
              <legend>{t('form.you')}</legend>
              <div className="row">
                <TextField name="claimant.name" label={t('form.name')} autoComplete="name" required />
                <TextField name="claimant.email" label={t('form.email')} type="email" autoComplete="email" inputMode="email" required />
              </div>
              <TextField name="claimant.wallet" label={t('form.wallet')} hint={t('form.walletHint')} autoComplete="off" />
              <TextArea name="narrative" label={t('form.narrative')} hint={t('form.narrativeHint')} />
            </fieldset>
            <fieldset className="group">
              <legend>{t('form.evidence')}</legend>
              <div className="field">
                <label htmlFor="f-evidence">{t('form.evidenceFiles')}</label>
                <p className="hint" id="f-evidence-hint">
                  {t('form.evidenceHint')}
                </p>
                <input id="f-evidence" type="file" name="evidence" multiple accept=".pdf,.png,.jpg,.jpeg,.txt,.eml,application/pdf,image/png,image/jpeg,text/plain,message/rfc822" aria-describedby="f-evidence-hint" />
              </div>
            </fieldset>

            <div className="preview-slot" aria-live="polite">
              {acted?.preview ? <PreviewPanel preview={acted.preview} kind={kind} lang={i18n.language} /> : null}
            </div>

            <div className="actions">
              <button type="submit" name="intent" value="preview" className="secondary" disabled={busy}>
                {t('form.preview')}
              </button>
              <button type="submit" name="intent" value="file" className="primary" disabled={busy}>
                {t('form.file')}
              </button>
            </div>
            <p id="form-status" className="form-status" role="status">
              {busy ? t('form.working') : errorCount ? t('form.fixErrors', { count: errorCount }) : ''}
            </p>
            {acted?.formErrors.length ? (
              <ul className="form-errors">
                {acted.formErrors.map((e) => (
                  <li key={e}>{e}</li>
                ))}
              </ul>
            ) : null}
          </Form>
        </FormStateContext.Provider>
      </section>
    </>
  );
}

function PreviewPanel({ preview, kind, lang }: { preview: Preview; kind: Kind; lang: string }) {
  const { t } = useTranslation();
  const rules = t(`jurisdictions.${preview.jurisdiction}`);
  const headline =
    preview.outcome === 'claimant' && preview.award
      ? t('preview.eligible', { amount: money(lang, preview.award.amount, preview.award.currency), rules })
      : t('preview.notEligible', { rules });
  return (
    <div className={`preview ${preview.outcome}`} data-testid="preview">
      <p className="badge">{t('preview.badge')}</p>
      <p className="headline">{headline}</p>
      <p>
        {t('preview.because')} {preview.explanation}
      </p>
      {preview.review ? <p className="note">{t('preview.review')}</p> : null}
      <p className="small">
        {t('preview.fine', { model: preview.model })} {kind === 'flight' ? t('preview.flightNext') : t('preview.cardNext')}
      </p>
    </div>
  );
}

function FlightFields({ values, zones }: { values: Values; zones: Record<string, string> }) {
  const { t } = useTranslation();
  const [legs, setLegs] = useState(legCount(values));
  const [airportZones, setAirportZones] = useState<Record<string, string | undefined>>({});
  const zoneOf = (field: string, leg: string) => airportZones[leg] ?? zones[field];
  const first = 'leg.0.from';
  const last = `leg.${legs - 1}.to`;
  const rules = FLIGHT_RULES.map((r) => ({ value: r, label: t(`rules.${r}.label`), hint: t(`rules.${r}.hint`) }));
  return (
    <>
      <fieldset className="group">
        <legend>{t('flight.which')}</legend>
        <Choice name="jurisdiction" legend={t('flight.rules')} options={rules} defaultValue="EU261" />
        <LookupField name="flight.operatingCarrier" what="airlines" label={t('flight.carrier')} hint={t('flight.carrierHint')} />
        <TextField name="respondent.name" label={t('flight.airlineName')} hint={t('flight.airlineNameHint')} />
      </fieldset>
      <fieldset className="group">
        <legend>{t('flight.itinerary')}</legend>
        <p className="hint">{t('flight.itineraryHint')}</p>
        <ol className="legs">
          {Array.from({ length: legs }, (_, i) => (
            <li key={i} className="leg">
              <span className="leg-title">{t('flight.leg', { n: i + 1 })}</span>
              <div className="row three">
                <LookupField name={`leg.${i}.from`} what="airports" label={t('flight.from')} onZone={(z) => setAirportZones((s) => ({ ...s, [`leg.${i}.from`]: z }))} />
                <LookupField name={`leg.${i}.to`} what="airports" label={t('flight.to')} onZone={(z) => setAirportZones((s) => ({ ...s, [`leg.${i}.to`]: z }))} />
                <TextField name={`leg.${i}.flightNumber`} label={t('flight.number')} placeholder="LH400" autoComplete="off" />
              </div>
            </li>
          ))}
        </ol>
        <div className="leg-actions">
          <button
            type="submit"
            name="intent"
            value="add-leg"
            className="link"
            formNoValidate
            disabled={legs >= MAX_LEGS}
            onClick={(e) => {
              e.preventDefault();
              setLegs((n) => Math.min(MAX_LEGS, n + 1));
            }}
          >
            {t('flight.addLeg')}
          </button>
          {legs > 1 ? (
            <button
              type="submit"
              name="intent"
              value="remove-leg"
              className="link"
              formNoValidate
              onClick={(e) => {
                e.preventDefault();
                setLegs((n) => Math.max(1, n - 1));
              }}
            >
              {t('flight.removeLeg')}
            </button>
          ) : null}
        </div>
      </fieldset>
      <fieldset className="group">
        <legend>{t('flight.what')}</legend>
        <Choice
          name="flight.disruption"
          legend={t('flight.disruption')}
          options={DISRUPTIONS.map((d) => ({ value: d, label: t(`disruption.${d}`) }))}
        />
        <p className="hint">{t('flight.timesHint')}</p>
        <div className="row">
          <AirportTime name="flight.scheduledDeparture" label={t('flight.scheduledDeparture')} zone={zoneOf('flight.scheduledDeparture', first)} />
          <AirportTime name="flight.scheduledArrival" label={t('flight.scheduledArrival')} zone={zoneOf('flight.scheduledArrival', last)} />
        </div>
        <AirportTime name="flight.actualArrival" label={t('flight.actualArrival')} hint={t('flight.actualArrivalHint')} zone={zoneOf('flight.actualArrival', last)} />
        <Checkbox name="flight.didNotTravel" label={t('flight.didNotTravel')} />
        <div className="only-cancellation">
          <TextField name="flight.cancellationNoticeDays" label={t('flight.noticeDays')} hint={t('flight.noticeDaysHint')} inputMode="numeric" />
        </div>
        <div className="only-denied">
          <Choice
            name="flight.deniedBoardingVoluntary"
            legend={t('flight.volunteered')}
            options={[
              { value: 'no', label: t('flight.volunteeredNo') },
              { value: 'yes', label: t('flight.volunteeredYes') },
            ]}
            defaultValue="no"
          />
        </div>
        <Checkbox name="flight.rerouteOffered" label={t('flight.reroute')} />
        <div className="row reroute">
          <AirportTime name="flight.reroute.departure" label={t('flight.rerouteDeparture')} zone={zoneOf('flight.reroute.departure', first)} />
          <AirportTime name="flight.reroute.arrival" label={t('flight.rerouteArrival')} zone={zoneOf('flight.reroute.arrival', last)} />
        </div>
        <TextArea name="flight.carrierStatedCause" label={t('flight.cause')} hint={t('flight.causeHint')} />
        <div className="row only-refund">
          <TextField name="flight.fare.amount" label={t('flight.fare')} hint={t('flight.fareHint')} inputMode="decimal" />
          <TextField name="flight.fare.currency" label={t('form.currency')} placeholder="USD" />
        </div>
      </fieldset>
    </>
  );
}

function ChargebackFields() {
  const { t } = useTranslation();
  const yesNo = [
    { value: 'no', label: t('form.no') },
    { value: 'yes', label: t('form.yes') },
  ];
  return (
    <>
      <fieldset className="group">
        <legend>{t('card.which')}</legend>
        <Choice name="network" legend={t('card.network')} options={NETWORKS.map((n) => ({ value: n, label: t(`card.networks.${n}`) }))} />
        <Choice name="reason" legend={t('card.reason')} hint={t('card.reasonHint')} options={REASON_KEYS.map((r) => ({ value: r, label: t(`reasons.${r}`) }))} />
        <TextField name="respondent.name" label={t('card.merchant')} autoComplete="organization" />
      </fieldset>
      <fieldset className="group">
        <legend>{t('card.payment')}</legend>
        <div className="row">
          <TextField name="chargeback.amount.amount" label={t('card.amount')} inputMode="decimal" />
          <TextField name="chargeback.amount.currency" label={t('form.currency')} placeholder="EUR" />
        </div>
        <div className="row">
          <TextField name="chargeback.transactionDate" label={t('card.transactionDate')} type="date" />
          <TextField name="chargeback.disputeDate" label={t('card.disputeDate')} hint={t('card.disputeDateHint')} type="date" />
        </div>
        <Choice name="chargeback.channel" legend={t('card.channel')} options={CHANNELS.map((c) => ({ value: c, label: t(`channels.${c}`) }))} defaultValue="ecommerce" />
        <Choice name="chargeback.threeDSecure" legend={t('card.threeDSecure')} hint={t('card.threeDSecureHint')} options={yesNo} defaultValue="no" />
        <Choice name="chargeback.refundIssued" legend={t('card.refunded')} options={yesNo} defaultValue="no" />
      </fieldset>
      <fieldset className="group">
        <legend>{t('card.delivery')}</legend>
        <TextField name="chargeback.expectedDeliveryDate" label={t('card.expectedDelivery')} hint={t('form.optional')} type="date" />
        <Choice name="chargeback.delivery.proof" legend={t('card.arrived')} options={DELIVERY.map((d) => ({ value: d, label: t(`delivery.${d}`) }))} />
        <TextField name="chargeback.delivery.date" label={t('card.deliveryDate')} hint={t('form.optional')} type="date" />
        <div className="row">
          <Choice name="chargeback.return.attempted" legend={t('card.returned')} options={yesNo} defaultValue="no" />
          <Choice name="chargeback.return.receivedByMerchant" legend={t('card.returnReceived')} options={yesNo} defaultValue="no" />
        </div>
      </fieldset>
      <fieldset className="group">
        <legend>{t('card.cancelled')}</legend>
        <TextField name="chargeback.cancellation.date" label={t('card.cancellationDate')} hint={t('card.cancellationHint')} type="date" />
        <div className="row">
          <Choice name="chargeback.cancellation.policyDisclosed" legend={t('card.policyDisclosed')} options={yesNo} defaultValue="no" />
          <Choice name="chargeback.cancellation.policyApplied" legend={t('card.policyApplied')} options={yesNo} defaultValue="no" />
        </div>
        <div className="only-duplicate">
          <TextField name="chargeback.duplicate.otherTransactionDate" label={t('card.otherCharge')} type="date" />
          <div className="row">
            <Choice name="chargeback.duplicate.sameAmount" legend={t('card.sameAmount')} options={yesNo} defaultValue="yes" />
            <Choice name="chargeback.duplicate.sameOrderId" legend={t('card.sameOrder')} options={yesNo} defaultValue="yes" />
          </div>
        </div>
        <TextArea name="chargeback.merchantResponse" label={t('card.merchantSaid')} hint={t('form.optional')} />
      </fieldset>
    </>
  );
}
