// The public evaluation sets of the flight models: LAW.md's edge cases written out by hand, then
// seeded random cases whose causes use the EVAL wordings (never seen in training). Expected
// verdicts come from the oracles (eu-uk-law.ts, us-dot-refund/law.ts). A line's `note` starts
// with `rule` when the structured facts decide it and `text` when the meaning of a stated cause
// does (rule-determined % and free-text % on the card).
import type { FlightCaseRecordT } from '../../server/cases/schemas.js';
import { validateCaseRecord } from '../../server/cases/validate.js';
import type { EvalLine } from '../../server/models/definition.js';
import { decideUsDot } from '../us-dot-refund/law.js';
import { generateCase, isoAt } from './case-generator.js';
import { decideEuUk, type CauseTruth, type LawVerdict, type Regime } from './eu-uk-law.js';
import { seededRandom as rng } from '../seeded-random.js';
import independent from './independent-causes.json' with { type: 'json' };

const H = 3_600_000;
const MIN = 60_000;
const S = 1000;
const DEP = Date.UTC(2026, 2, 1, 9, 0); // 10:00 at +01:00
const ARR = DEP + 9 * H; // a nominal schedule; distance does not depend on it

type Flight = FlightCaseRecordT['flight'];
interface EdgeSpec {
  note: string;
  legs: string; // "FRA-JFK" or "FRA-LHR-JFK"
  carrier: string;
  disruption: Flight['disruption'];
  delay?: number | null; // ms after scheduled arrival; null = no arrival
  notice?: number;
  early?: number;
  late?: number;
  volunteer?: boolean;
  cause?: { text: string } & CauseTruth;
  fare?: number;
}

function edgeRecord(jur: FlightCaseRecordT['jurisdiction'], e: EdgeSpec, i: number): FlightCaseRecordT {
  const codes = e.legs.split('-');
  const flight: Flight = {
    operatingCarrier: e.carrier,
    flightNumbers: [`${e.carrier}${100 + i}`],
    itinerary: codes.slice(1).map((to, k) => ({ from: codes[k], to })),
    disruption: e.disruption,
    scheduledDeparture: isoAt(DEP, 60),
    scheduledArrival: isoAt(ARR, -300),
    actualArrival: e.delay === undefined || e.delay === null ? null : isoAt(ARR + e.delay, -300),
  };
  if (e.notice !== undefined) flight.cancellationNoticeDays = e.notice;
  if (e.early !== undefined || e.late !== undefined) {
    flight.reroute = { departure: isoAt(DEP - (e.early ?? 0), 60), arrival: isoAt(ARR + (e.late ?? 0), 0) };
  }
  if (e.disruption === 'denied_boarding') flight.deniedBoardingVoluntary = e.volunteer ?? false;
  if (e.cause) flight.carrierStatedCause = e.cause.text;
  if (jur === 'US_DOT_REFUND') flight.fare = { amount: e.fare ?? 389.4, currency: 'USD' };
  return {
    ref: `edge-${i + 1}`,
    kind: 'flight',
    jurisdiction: jur,
    claimant: { name: 'A. Passenger', email: 'passenger@example.org' },
    respondent: { name: 'Example Air' },
    flight,
  };
}

const line = (record: FlightCaseRecordT, v: LawVerdict, note: string): EvalLine => ({
  case: record,
  expected: { outcome: v.outcome, award: v.award, grounds: v.grounds, review: v.review },
  note: `${v.textDecided ? 'text' : 'rule'}: ${note}`,
});

const NONE: CauseTruth = { extraordinary: false, reasonableGrounds: false };
const TECH = { text: 'technical fault with the aircraft', extraordinary: false, reasonableGrounds: false, kind: 'technical' };
const STORM = { text: 'severe thunderstorm at the destination airport', extraordinary: true, reasonableGrounds: false, kind: 'weather' };
const VISA = { text: 'the passenger had no valid visa for the destination', extraordinary: false, reasonableGrounds: true, kind: 'travel_documents' };

/** LAW.md edge cases common to EU261 and UK261 (the route decides scope and band). */
function compensationEdges(regime: Regime): EdgeSpec[] {
  const uk = regime === 'UK261';
  const home = uk ? { long: 'LHR-JFK', short: 'LHR-CDG', mid: 'LGW-ATH', c: 'BA' } : { long: 'FRA-JFK', short: 'FRA-CDG', mid: 'FRA-ATH', c: 'LH' };
  const edges: EdgeSpec[] = [
    { note: 'delay exactly 3 h 00 min 00 s, band c (3–4 h: art. 7(2))', legs: home.long, carrier: home.c, disruption: 'delay', delay: 3 * H },
    { note: 'delay 2 h 59 min 59 s', legs: home.long, carrier: home.c, disruption: 'delay', delay: 3 * H - S },
    { note: 'delay 2 h 59 min 59.999 s', legs: home.short, carrier: home.c, disruption: 'delay', delay: 3 * H - 1 },
    { note: 'delay exactly 3 h 00, band a', legs: home.short, carrier: home.c, disruption: 'delay', delay: 3 * H },
    { note: 'delay exactly 4 h 00, band c: still halved', legs: home.long, carrier: home.c, disruption: 'delay', delay: 4 * H },
    { note: 'delay 4 h 00 min 01 s, band c: full', legs: home.long, carrier: home.c, disruption: 'delay', delay: 4 * H + S },
    { note: 'delay 5 h, band b, paid in full', legs: home.mid, carrier: home.c, disruption: 'delay', delay: 5 * H },
    { note: 'delay with no arrival: flag', legs: home.long, carrier: home.c, disruption: 'delay', delay: null },
    { note: 'arrived early', legs: home.long, carrier: home.c, disruption: 'delay', delay: -20 * MIN },
    { note: 'delay 6 h, technical fault (not extraordinary)', legs: home.long, carrier: home.c, disruption: 'delay', delay: 6 * H, cause: TECH },
    { note: 'delay 6 h, thunderstorm (extraordinary)', legs: home.long, carrier: home.c, disruption: 'delay', delay: 6 * H, cause: STORM },
    { note: 'cancellation, notice 14 days', legs: home.long, carrier: home.c, disruption: 'cancellation', notice: 14 },
    { note: 'cancellation, notice 13 days, reroute 2 h early, 3 h 59 late (C2)', legs: home.long, carrier: home.c, disruption: 'cancellation', notice: 13, early: 2 * H, late: 4 * H - MIN },
    { note: 'cancellation, notice 13 days, reroute 4 h 00 late: C2 fails', legs: home.long, carrier: home.c, disruption: 'cancellation', notice: 13, early: H, late: 4 * H },
    { note: 'cancellation, notice 13 days, reroute 2 h 00 min 01 s early: C2 fails', legs: home.long, carrier: home.c, disruption: 'cancellation', notice: 13, early: 2 * H + S, late: H },
    { note: 'cancellation, notice exactly 7 days is C2', legs: home.long, carrier: home.c, disruption: 'cancellation', notice: 7, early: 90 * MIN, late: 3 * H },
    { note: 'cancellation, notice 7 days, reroute fits C3 times but not C2 late: C5', legs: home.long, carrier: home.c, disruption: 'cancellation', notice: 7, early: 30 * MIN, late: 4 * H + MIN },
    { note: 'cancellation, notice 6 days, reroute 1 h early, 1 h 59 late (C3)', legs: home.short, carrier: home.c, disruption: 'cancellation', notice: 6, early: H, late: 2 * H - MIN },
    { note: 'cancellation, notice 6 days, late exactly 2 h 00 fails C3; band a window: halved', legs: home.short, carrier: home.c, disruption: 'cancellation', notice: 6, early: 30 * MIN, late: 2 * H },
    { note: 'cancellation, notice 3 days, reroute 1 h 01 early: C3 fails; late 2 h 30, band a: full', legs: home.short, carrier: home.c, disruption: 'cancellation', notice: 3, early: H + MIN, late: 150 * MIN },
    { note: 'cancellation, notice missing (= 0), reroute within C3', legs: home.short, carrier: home.c, disruption: 'cancellation', early: 30 * MIN, late: 60 * MIN },
    { note: 'cancellation, notice missing, no reroute', legs: home.long, carrier: home.c, disruption: 'cancellation' },
    { note: 'cancellation, notice 2 days, reroute late 4 h 00, band c: halved', legs: home.long, carrier: home.c, disruption: 'cancellation', notice: 2, early: 3 * H, late: 4 * H },
    { note: 'cancellation, notice 2 days, reroute late 4 h 00 min 01 s, band c: full', legs: home.long, carrier: home.c, disruption: 'cancellation', notice: 2, early: 3 * H, late: 4 * H + S },
    { note: 'cancellation, notice 2 days, reroute late 3 h 00, band b: halved', legs: home.mid, carrier: home.c, disruption: 'cancellation', notice: 2, early: 3 * H, late: 3 * H },
    { note: 'cancellation, notice 2 days, reroute arriving early (negative late): halved', legs: home.mid, carrier: home.c, disruption: 'cancellation', notice: 2, early: 5 * H, late: -30 * MIN },
    { note: 'cancellation, thunderstorm (extraordinary)', legs: home.long, carrier: home.c, disruption: 'cancellation', notice: 1, cause: STORM },
    { note: 'denied boarding, volunteer', legs: home.long, carrier: home.c, disruption: 'denied_boarding', volunteer: true },
    { note: 'denied boarding, not a volunteer, no reroute', legs: home.long, carrier: home.c, disruption: 'denied_boarding' },
    { note: 'denied boarding, reroute 3 h 30 late, band c: halved', legs: home.long, carrier: home.c, disruption: 'denied_boarding', early: 0, late: 210 * MIN },
    { note: 'denied boarding, thunderstorm is no defence (Finnair C-22/11)', legs: home.short, carrier: home.c, disruption: 'denied_boarding', cause: STORM },
    { note: 'denied boarding, no valid visa (reasonable grounds)', legs: home.long, carrier: home.c, disruption: 'denied_boarding', cause: VISA },
    { note: 'denied boarding, volunteer who also lacked a visa: B1 first', legs: home.long, carrier: home.c, disruption: 'denied_boarding', volunteer: true, cause: VISA },
  ];
  const d = (note: string, legs: string, carrier: string, delay = 5 * H): EdgeSpec => ({ note, legs, carrier, disruption: 'delay', delay });
  const c = (note: string, legs: string, carrier: string): EdgeSpec => ({ note, legs, carrier, disruption: 'cancellation', notice: 2 });
  if (!uk) {
    edges.push(
      d('band boundary: HER–OLB 1,500,265 m > 1500 km, intra: band b', 'HER-OLB', 'A3'),
      d('band boundary: MRS–SKG 1,499,562 m: band a', 'MRS-SKG', 'AF'),
      d('band boundary: BER–SKG 1,500,623 m > 1500 km, intra: band b', 'BER-SKG', 'LH'),
      d('band boundary: SOF–DXB 3,494,649 m, not intra: band b', 'SOF-DXB', 'FZ'),
      d('band boundary: KEF–RBA 3,500,916 m > 3500 km, not intra: band c', 'KEF-RBA', 'FI'),
      d('intra > 3500 km (FNC–KEF 3,502,326 m): band b', 'FNC-KEF', 'FI'),
      d('intra to an outermost region (CDG–PTP, Guadeloupe): band b', 'CDG-PTP', 'AF'),
      d('Canaries (LPA) to Madrid: intra, band b', 'LPA-MAD', 'IB'),
      d('Madeira (FNC) to Lisbon: band a', 'FNC-LIS', 'TP'),
      d('Azores (PDL) to Boston on a non-Community carrier: departs in the Area', 'PDL-BOS', 'UA'),
      c('Swiss departure (GVA) to New York, cancellation: in scope', 'GVA-JFK', 'LX'),
      c('Oslo (EEA) to Dubai on Emirates: departs in the Area', 'OSL-DXB', 'EK'),
      d('UK departure to New York on BA: out of scope (UK not in the Area)', 'LHR-JFK', 'BA'),
      d('New York to London on Lufthansa: destination not in the Area', 'JFK-LHR', 'LH'),
      d('New York to Frankfurt on American: not a Community carrier', 'JFK-FRA', 'AA'),
      d('New York to Frankfurt on Lufthansa: art. 3(1)(b)', 'JFK-FRA', 'LH'),
      d('Faroes (FAE) to Copenhagen on SAS: art. 3(1)(b)', 'FAE-CPH', 'SK'),
      d('Copenhagen to the Faroes: departs in the Area', 'CPH-FAE', 'SK'),
      d('Jersey to Paris on a UK carrier: not a Community carrier', 'JER-CDG', 'BA'),
      d('Isle of Man to Dublin on Aer Lingus: art. 3(1)(b)', 'IOM-DUB', 'EI'),
      d('Greenland (GOH) to Reykjavik on Icelandair: art. 3(1)(b)', 'GOH-KEF', 'FI'),
      d('two legs, first from the Area (FRA–JFK–LAX): distance first to last', 'FRA-JFK-LAX', 'LH'),
      d('two legs through the Area from outside (JFK–FRA–DXB) on LH: destination outside', 'JFK-FRA-DXB', 'LH'),
      d('connection from outside into the Area (DXB–IST–ATH) on Turkish: not Community', 'DXB-IST-ATH', 'TK'),
    );
  } else {
    edges.push(
      d('band boundary: GLA–WRO 1,499,471 m: band a', 'GLA-WRO', 'BA'),
      d('band boundary: LGW–SPU 1,497,732 m: band a', 'LGW-SPU', 'U2'),
      d('band boundary: LGW–CAG 1,505,441 m: band b', 'LGW-CAG', 'U2'),
      d('band boundary: LGW–CAI 3,498,798 m: band b', 'LGW-CAI', 'BA'),
      d('UK to Canaries (LGW–TFS): band b', 'LGW-TFS', 'U2'),
      d('Belfast (Northern Ireland) to Alicante: departs in the UK', 'BFS-ALC', 'U2'),
      d('Jersey to Gatwick on BA: Channel Islands are not the UK; UK destination, UK carrier', 'JER-LGW', 'BA'),
      d('Isle of Man to Manchester on Aer Lingus: UK destination, Community carrier', 'IOM-MAN', 'EI'),
      d('New York to London on American: out of scope', 'JFK-LHR', 'AA'),
      d('New York to London on Lufthansa: Community carrier, art. 3(1)(b)(i)', 'JFK-LHR', 'LH'),
      d('New York to Paris on BA: UK carrier to the EU, art. 3(1)(b)(ii)', 'JFK-CDG', 'BA'),
      d('New York to Paris on Air France: out of scope for UK261', 'JFK-CDG', 'AF'),
      d('Frankfurt to New York on Lufthansa: out of scope for UK261', 'FRA-JFK', 'LH'),
      d('Dubai to Madrid on Virgin: UK carrier to the EU', 'DXB-MAD', 'VS'),
      d('two legs from the UK (MAN–LHR–JFK): distance first to last', 'MAN-LHR-JFK', 'BA'),
      c('Edinburgh to Geneva cancellation on easyJet', 'EDI-GVA', 'U2'),
    );
  }
  return edges;
}

function usEdges(): EdgeSpec[] {
  const U = (note: string, o: Partial<EdgeSpec>): EdgeSpec => ({ note, legs: 'JFK-LAX', carrier: 'AA', disruption: 'delay', ...o });
  return [
    U('no US airport (CDG–LHR)', { legs: 'CDG-LHR', carrier: 'AF', disruption: 'cancellation' }),
    U('denied boarding: part 250, flag', { disruption: 'denied_boarding', early: 0, late: 5 * H }),
    U('cancelled, passenger flew the alternative: accepted', { disruption: 'cancellation', delay: 2 * H, early: 0, late: 2 * H }),
    U('cancelled, did not travel: fare refunded', { disruption: 'cancellation', early: 0, late: H }),
    U('cancelled without an alternative: fare refunded', { disruption: 'cancellation' }),
    U('domestic change, arrives exactly 3 h 00 later: significant', { late: 3 * H, early: 0 }),
    U('domestic change, arrives 2 h 59 min 59 s later: not significant', { late: 3 * H - S, early: 0 }),
    U('domestic change, departs exactly 3 h earlier: significant', { early: 3 * H, late: -H }),
    U('domestic change, departs 2 h 59 earlier: not significant', { early: 3 * H - MIN, late: 0 }),
    U('international change, arrives 5 h 59 later: not significant', { legs: 'JFK-LHR', carrier: 'BA', late: 6 * H - MIN, early: 0 }),
    U('international change, arrives exactly 6 h later: significant', { legs: 'JFK-LHR', carrier: 'BA', late: 6 * H, early: 0 }),
    U('international change, departs 6 h earlier: significant', { legs: 'CDG-JFK', carrier: 'AF', early: 6 * H, late: 0 }),
    U('Puerto Rico (SJU) to Miami is domestic: 3 h applies', { legs: 'SJU-MIA', late: 3 * H + MIN, early: 0 }),
    U('Honolulu to Los Angeles domestic, change 2 h: not significant', { legs: 'HNL-LAX', carrier: 'HA', late: 2 * H, early: 0 }),
    U('connection via Toronto (JFK–YYZ–LAX) is international: 6 h', { legs: 'JFK-YYZ-LAX', carrier: 'AC', late: 4 * H, early: 0 }),
    U('delay, flew: accepted (weather is irrelevant)', { delay: 7 * H, cause: { text: 'severe thunderstorm', extraordinary: true, reasonableGrounds: false, kind: 'weather' } }),
    U('delay, did not travel, no revised times: flag', {}),
    U('delay, did not travel, revised arrival 4 h later, domestic: refund even for weather', { late: 4 * H, early: 0, cause: { text: 'snowstorm', extraordinary: true, reasonableGrounds: false, kind: 'weather' } }),
  ];
}

/** Every record of a set passes validation (a set that does not is a generator bug). */
export function assertValid(lines: EvalLine[]): void {
  for (const l of lines) {
    const v = validateCaseRecord(l.case);
    if (!v.ok) throw new Error(`eval record ${(l.case as FlightCaseRecordT).ref} is invalid: ${JSON.stringify(v.errors)}`);
  }
}

export function compensationEvalSet(regime: Regime, seed: number, randomCount: number): EvalLine[] {
  const out = compensationEdges(regime).map((e, i) => {
    const record = edgeRecord(regime, e, i);
    return line(record, decideEuUk(regime, record, e.cause ?? NONE), e.note);
  });
  const r = rng(seed);
  for (let i = 0; i < randomCount; i++) {
    const g = generateCase(r, regime, 'eval', `gen-${i + 1}`);
    out.push(line(g.record, decideEuUk(regime, g.record, g.cause), `generated${g.causeCategory ? `, cause ${g.causeCategory}` : ''}`));
  }
  return out;
}

export function usEvalSet(seed: number, randomCount: number): EvalLine[] {
  const out = usEdges().map((e, i) => {
    const record = edgeRecord('US_DOT_REFUND', e, i);
    return line(record, decideUsDot(record), e.note);
  });
  const r = rng(seed);
  for (let i = 0; i < randomCount; i++) {
    const g = generateCase(r, 'US_DOT_REFUND', 'eval', `gen-${i + 1}`);
    out.push(line(g.record, decideUsDot(g.record), 'generated'));
  }
  return out;
}

/** The independent set's kinds → the category ids the grounds name (`<regime>.cause.<id>`). */
const INDEPENDENT_KIND: Record<string, string> = {
  weather: 'weather',
  lightning: 'weather',
  atc: 'atc',
  airport: 'airport_closure_security',
  external_strike: 'external_strike',
  volcanic: 'volcanic_ash',
  bird: 'bird_strike',
  fod: 'runway_debris',
  hidden_defect: 'hidden_defect_sabotage_terror',
  sabotage: 'hidden_defect_sabotage_terror',
  fuel_supply: 'airport_fuel_failure',
  disruptive_passenger: 'disruptive_passenger',
  documents: 'travel_documents',
  health: 'passenger_health',
  safety: 'passenger_conduct',
  security: 'passenger_security',
};

interface IndependentCause {
  disruption: Flight['disruption'];
  positive: boolean;
  kind: string;
  text: string;
  ukOpenPoint?: boolean;
}

/**
 * The independent evaluation set (independent-causes.json, written from LAW.md alone): each
 * wording as the stated cause of a case that only the cause decides — a 6 h delay at the final
 * destination, a cancellation 2 days ahead with no reroute, an involuntary denied boarding — on a
 * route in scope. UK261 leaves out the points LAW.md §2/§6.6 leaves open. Never used for training.
 */
export function independentEvalSet(regime: Regime): EvalLine[] {
  const uk = regime === 'UK261';
  const causes = (independent as { causes: IndependentCause[] }).causes.filter((c) => !(uk && c.ukOpenPoint));
  return causes.map((c, i) => {
    const spec: EdgeSpec = {
      note: '',
      legs: uk ? 'LHR-JFK' : 'FRA-JFK',
      carrier: uk ? 'BA' : 'LH',
      disruption: c.disruption,
      ...(c.disruption === 'delay' ? { delay: 6 * H } : c.disruption === 'cancellation' ? { notice: 2 } : {}),
    };
    const record = { ...edgeRecord(regime, spec, i), ref: `independent-${i + 1}` };
    record.flight.carrierStatedCause = c.text;
    const kind = c.positive ? INDEPENDENT_KIND[c.kind] : undefined;
    if (c.positive && !kind) throw new Error(`independent cause ${i + 1}: no category for kind ${c.kind}`);
    const truth: CauseTruth = c.disruption === 'denied_boarding' ? { extraordinary: false, reasonableGrounds: c.positive, kind } : { extraordinary: c.positive, reasonableGrounds: false, kind };
    return line(record, decideEuUk(regime, record, truth), `independent ${c.disruption}, cause ${c.kind}`);
  });
}
