// The kind of an ordinary cause (LAW.md §1.4 "NOT extraordinary", §1.3 B3), read from the
// carrier's stated cause by the concept reading of flight-cause-concepts.ts. The eu261/uk261
// models decide *whether* the cause is extraordinary (or a reasonable ground to deny boarding)
// and name the kind when it is, in their classes; when the passenger wins, the verdict names the
// kind it read here (a `<regime>.cause.<kind>` ground and a sentence of the explanation), so a
// claimant and an arbitrator see what was understood and can appeal a misreading.
//
// Deterministic and versioned with the concept reading: the same text gives the same kind on
// every machine, so anyone recomputes the verdict from the record (PROTOCOL.md §4). It is not
// part of the model (its root, classes and award table are unchanged): the model's decision
// stands, and this only names the kind of cause the decision was about.
import { CAUSE_CONCEPTS, CAUSE_CONCEPTS_VERSION, scanCause } from './flight-cause-concepts.js';

export const CAUSE_KIND_VERSION = CAUSE_CONCEPTS_VERSION;

/** Many staff at once ("en masse", "together", "mass sickness absence"): with an illness, a sick-out. */
const MASS = /\b(mass|en masse|together|at the same time|simultaneous(ly)?|all at once|collective(ly)?)\b/i;

export type OrdinaryCauseKind = 'none' | 'technical' | 'crew' | 'own_staff_strike' | 'ground_equipment' | 'commercial' | 'boarding_operational' | 'vague';

/**
 * The concepts the rules below read, by index into CAUSE_CONCEPTS (looked up once, not per
 * case). A name missing there would read as never named: it gets the spare last index, which
 * no concept sets.
 */
const KIND_CONCEPTS = [
  'ground_vehicle', 'impact', 'parked', 'aircraft', 'strike', 'component', 'own_staff', 'employee', 'crew', 'union', 'third_party',
  'duty_time', 'illness', 'death', 'shortage', 'standby', 'commercial', 'schedule', 'aircraft_change', 'technical', 'maintenance',
] as const;
const C = Object.fromEntries(
  KIND_CONCEPTS.map((name) => [name, CAUSE_CONCEPTS.includes(name) ? CAUSE_CONCEPTS.indexOf(name) : CAUSE_CONCEPTS.length]),
) as Record<(typeof KIND_CONCEPTS)[number], number>;

/**
 * Whether any of the concepts (indexes) is marked in `marks`: `n` for named outside a negation,
 * `any` for named at all ("No standby crew was available": a crew named inside a negation is
 * still the cause named).
 */
const some = (marks: Uint8Array, a: number, b = a, c = a, d = a, e = a): boolean => (marks[a] | marks[b] | marks[c] | marks[d] | marks[e]) === 1;

/**
 * The kind of a cause already decided to be ordinary (not extraordinary, or for a denied boarding
 * not a reasonable ground), from the concepts its text names outside a negation. Earlier-event
 * chains follow the concept reading: "a slot missed because of an earlier hydraulic fault" names a
 * component, so it reads as technical.
 */
export function ordinaryCauseKind(text: string | null | undefined, disruption: 'delay' | 'cancellation' | 'denied_boarding'): OrdinaryCauseKind {
  if (!text || text.trim() === '') return 'none';
  // per concept index: named outside a negation (n), named at all (any)
  const n = new Uint8Array(CAUSE_CONCEPTS.length + 1);
  const any = new Uint8Array(CAUSE_CONCEPTS.length + 1);
  const { hits, lemmas } = scanCause(text);
  for (const m of hits) {
    // "Customer services", "our service": the word alone names no repair.
    if (m.len === 1 && lemmas[m.start] === 'service') continue;
    for (const c of m.concepts) {
      any[c] = 1;
      if (!m.negated) n[c] = 1;
    }
  }
  // A strike the model did not find extraordinary is the airline's own staff's (LAW.md §1.4).
  // Equipment that "struck" the aircraft first: "struck" is also a form of "strike".
  if (some(n, C.ground_vehicle) && some(n, C.impact, C.parked, C.aircraft, C.strike, C.component)) return 'ground_equipment';
  if (some(n, C.strike) && (some(n, C.own_staff, C.employee, C.crew, C.union) || !some(n, C.third_party))) return 'own_staff_strike';
  const crew = some(any, C.crew, C.duty_time) || (some(any, C.employee, C.own_staff) && some(any, C.illness, C.death, C.shortage, C.standby));
  const commercial = some(n, C.commercial, C.schedule, C.aircraft_change);
  // A repair word alone ("services", "engineering") beside a commercial reason is not a fault.
  const technical = some(n, C.technical, C.component) || (some(n, C.maintenance) && !commercial);
  // "Crew shortage" reads as crew even beside a generic failure word ("customer services", an
  // engineer's check); a named component does not.
  // A mass sick-call of the airline's own staff is a wildcat strike (Krüsemann C-195/17).
  if (some(any, C.illness) && MASS.test(text)) return 'own_staff_strike';
  if (crew && !some(n, C.component)) return 'crew';
  if (technical) return 'technical';
  if (crew) return 'crew';
  // Denied boarding for the airline's own reasons (overbooking, a smaller aircraft): one kind, §1.3 B3.
  if (disruption === 'denied_boarding') return 'boarding_operational';
  if (commercial) return 'commercial';
  return 'vague';
}

/** How the explanation names each kind: "The airline's stated cause reads as <this>, …". */
export const ORDINARY_CAUSE_WORDS: Record<OrdinaryCauseKind, string> = {
  none: 'nothing: the airline gave no cause',
  technical: 'a technical fault or defect of the aircraft',
  crew: 'a crew problem (illness, shortage or duty limits of its own crew)',
  own_staff_strike: "a strike of the airline's own staff",
  ground_equipment: 'airport equipment hitting the parked aircraft',
  commercial: 'an overbooking, commercial or scheduling decision of the airline',
  boarding_operational: "an operational reason of the airline's own (such as overbooking or a smaller aircraft)",
  vague: 'a general reason naming no event (such as operational reasons or a late inbound aircraft)',
};
