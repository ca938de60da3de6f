// A template grammar for what carriers write in `carrierStatedCause`, labelled with LAW.md §1.4
// (extraordinary?) and §1.3 B2 (reasonable grounds to deny boarding?). Two disjoint sets of
// wordings: TRAIN phrasings teach the classifier; EVAL phrasings (other cores, other sentence
// frames) measure it on wordings it never saw. Alternations are written `(a|b|)`; an empty
// alternative makes the part optional. Ambiguous causes LAW.md leaves open (§6.6; a baggage
// handlers' strike whose employer is unknown; another passenger's conduct as a reason to deny
// boarding) are left out of both sets.
import type { Random as Rng } from '../seeded-random.js';
import { MORE_TRAIN } from './cause-phrases-styles.js';

export type Disruption = 'delay' | 'cancellation' | 'denied_boarding';

export interface CauseCategory {
  id: string;
  /** LAW.md §1.4: an extraordinary circumstance (art. 5(3)). */
  extraordinary: boolean;
  /** LAW.md §1.3 B2: the passenger's health, safety, security or travel documents. */
  reasonableGrounds: boolean;
  /** Which disruptions this cause is written for. */
  usedFor: readonly Disruption[];
  train: readonly string[];
  eval: readonly string[];
  /** LAW.md source of the label. */
  source: string;
}

const DC: readonly Disruption[] = ['delay', 'cancellation'];
const ALL: readonly Disruption[] = ['delay', 'cancellation', 'denied_boarding'];
const DB: readonly Disruption[] = ['denied_boarding'];

export const BASE_CAUSE_CATEGORIES: readonly CauseCategory[] = [
  // ---------------------------------------------------------------- extraordinary (§1.4)
  {
    id: 'weather', extraordinary: true, reasonableGrounds: false, usedFor: ALL, source: 'recital 14',
    train: [
      '(a |the |)lightning strike (on|to|hitting) the aircraft( on the previous flight| during the approach|)',
      'the aircraft (was |)(struck|hit) by lightning( on the inbound flight| during the previous sector|)',
      '(poor|low|reduced) visibility (caused by|due to|because of) (fog|mist|snow|heavy rain)',
      '(meteorological|weather|climatic) conditions( at the airport| on the route|) (preventing|not allowing|unsafe for) (departure|landing|take-off)',
      '(freezing rain|hail|sleet|ice|icing conditions)( on the runway| at the airport|)',
      '(de-icing|deicing) (of the aircraft |)(required |)(because of|due to|after) (snow|ice|freezing conditions)',
      '(a |)(storm|wind|weather) (front|system|warning)( over the region| crossing the route|)',
      'wind (speeds|gusts) (exceeding|above|beyond) (the |)(aircraft|operating|crosswind) limits',
      '(thunderstorm|storm) (activity|cells)( near the airport| on the approach|)',
      '(a |)(severe|violent|heavy|strong) (storm|storms|thunderstorm|thunderstorms)( over the airport| at the destination| along the route| at the departure airport|)',
      '(heavy|dense|thick|freezing) fog( at the airport| at the destination|)( reducing visibility|)',
      '(heavy|persistent|unexpected) (snow|snowfall)( and icing| at the airport| on the runway|)',
      '(strong|gale force|severe|gusting) (winds|crosswinds)( above the aircraft limits| at the airport|)',
      '(a |)(hurricane|typhoon|tropical storm|cyclone)( warning| approaching the airport|)',
      'lightning( strikes| activity) (near|around|at) the airport',
      '(adverse|extreme|severe|bad|poor) weather( conditions|)( at the airport| at the destination|)',
      '(icy|frozen|snow covered) runway( conditions|)',
      '(a |)(blizzard|snowstorm|hailstorm|ice storm)',
      'weather (incompatible with|unsuitable for) (safe |)(flight|operation|flying)',
      'a thunderstorm cell moving over the departure airport',
      'snowstorm conditions at the destination airport',
      'visibility below landing minimums because of fog',
      'meteorological conditions incompatible with the safe operation of the flight',
      'freezing rain and ice which made departure impossible',
      'winds exceeding the crosswind limits of the aircraft',
      'a powerful storm system crossing the region',
    ],
    eval: [
      'a snow squall that closed the runway for clearing',
      'low cloud and fog below the minima for landing',
      'a violent thunderstorm with lightning over the field',
      'very strong gusty winds at the arrival airport',
    ],
  },
  {
    id: 'atc', extraordinary: true, reasonableGrounds: false, usedFor: ALL, source: 'recitals 14–15; C-28/20',
    train: [
      '(air navigation service|air traffic management|air traffic flow management|ANSP) (restrictions|regulations|decision|measures)',
      '(a |)(departure|arrival) slot (issued|allocated|imposed) by (ATC|Eurocontrol|air traffic management|the network manager)',
      '(capacity|flow) (restrictions|regulation|limits) (set|imposed) by (ATC|air traffic control|air traffic management)',
      'air traffic controllers (on strike|walking out|striking|staging a walkout)',
      '(a |)(walkout|work stoppage) (by|of) air traffic (controllers|control staff)',
      '(air traffic control|ATC) (restrictions|restriction|regulations|flow control)',
      '(a |)(ATC|air traffic control) slot( restriction| allocation| delay|)',
      '(restrictions|a restriction|a slot decision) (imposed|issued) by (air traffic control|ATC|the air traffic control authorities)',
      '(an |a |)(ATC|air traffic control|air traffic controllers) strike',
      '(a |)strike (by|of) (french|italian|spanish|the) air traffic controllers',
      'industrial action by air traffic (control|controllers)( in france| in italy|)',
      '(Eurocontrol|air traffic flow) (slot|flow|capacity) (regulation|restrictions)',
      '(airspace|air traffic) congestion (ordered|managed) by (ATC|air traffic control)',
      'a late slot allocated by Eurocontrol',
      'a walkout of the air traffic controllers',
      'airspace restrictions imposed by the air navigation service provider',
      'ATC capacity regulation on the route',
      'a decision of air traffic management to hold departures',
    ],
    eval: [
      'ATC flow restrictions over the route',
      'controllers of air traffic going on strike',
      'air traffic control holding all departures',
    ],
  },
  {
    id: 'external_strike', extraordinary: true, reasonableGrounds: false, usedFor: ALL, source: 'recital 14; C-28/20 (strikes outside the carrier)',
    train: [
      '(a |)strike (by|of) (security|screening|check-in|ground) (staff|workers|personnel) employed by the (airport|airport operator|airport authority)',
      '(airport|security) (screening|security) (staff|personnel|workers) (striking|on strike|walking out)',
      '(a |)(national|general|public sector) strike( affecting all transport| called by the unions|)',
      '(a |)(walkout|work stoppage|strike) (by|of) (airport|border|customs|security) (personnel|staff|employees|officers)',
      '(a |)strike (paralysing|affecting|shutting) the (country|airport)',
      '(a |)strike (by|of) (the |)airport (ground|operating|security) (company|authority) (staff|workers)',
      '(a |)strike (by|of) (the |)airport (security|fire service|fire brigade|operator) (staff|personnel|workers)',
      '(border police|customs officers|passport control staff|airport security staff) (on strike|striking|walking out)',
      '(a |)(general|national|nationwide) strike( in the country| across the country|)',
      '(a |)strike at the airport operator',
      'industrial action by (airport|border control|customs) (staff|officers)',
      'a walkout by airport security personnel',
      'a general strike paralysing the country',
      'the airport fire service going on strike',
      'striking border control officers',
    ],
    eval: [
      'a strike of security screening staff employed by the airport',
      'a nationwide general strike',
    ],
  },
  {
    id: 'airport_closure_security', extraordinary: true, reasonableGrounds: false, usedFor: DC, source: 'recital 14',
    train: [
      '(a |)(suspicious|unattended) (package|bag|item) (forcing|causing|leading to) (an |the |)(evacuation|closure)( of the terminal| of the airport|)',
      '(an |the |)(evacuation|closure) of the (terminal|airport) (ordered|decided) by (the |)(police|authorities)',
      '(violent |)(protests|demonstrations|riots|unrest) (at|in) the (destination|country|region|airport)',
      '(military|war|armed) (activity|conflict|operations) (closing|affecting|restricting) the airspace',
      'airspace (closed|closure|restrictions) (by|ordered by) the (authorities|government|military)',
      '(the |)(closure|shutdown) of the (airport|runway|airspace)( by the authorities|)',
      '(the |)airport (was |)(closed|shut)( by the authorities| by the police|)',
      '(a |)bomb (threat|scare|alert)( at the airport| on board| at the terminal|)',
      '(a |)security (alert|incident|risk|threat) at the (airport|terminal)',
      'political (unrest|instability)( in the country| at the destination|)',
      '(civil unrest|riots|armed conflict)( at the destination| in the region|)',
      '(the |)terminal (was |)evacuated by (the |)police',
      'the authorities shutting down the airport',
      'a suspicious package forcing the evacuation of the terminal',
      'unrest and violent protests in the destination country',
      'military activity closing the airspace',
    ],
    eval: [
      'a bomb alert that led to the airport being closed',
      'the runway closure ordered by the authorities',
      'political unrest near the destination airport',
    ],
  },
  {
    id: 'volcanic_ash', extraordinary: true, reasonableGrounds: false, usedFor: ALL, source: 'McDonagh C-12/11',
    train: [
      '(an |)(erupting|active) volcano( near the route| in the region|)',
      'ash (from|of) (a |the |)(volcanic eruption|volcano)( over the region| in the flight path|)',
      '(a |)volcanic ash (cloud|plume)( closing the airspace| over the region|)',
      '(closure of the |)airspace (closed |closure |)(due to|because of) (a |)volcanic (eruption|ash)',
      '(the |)eruption of (a |the |)volcano( closing the airspace|)',
      'ash from an erupting volcano in the flight path',
      'airspace closed after volcanic activity',
    ],
    eval: [
      'a volcanic eruption whose ash cloud closed the airspace',
    ],
  },
  {
    id: 'bird_strike', extraordinary: true, reasonableGrounds: false, usedFor: DC, source: 'Pešková C-315/15',
    train: [
      '(a |the |)(flock of |)birds (hitting|striking|colliding with) the (aircraft|plane|engine)',
      '(an |)(engine|aircraft) damaged by (a |)(bird|birds|bird strike)',
      '(a |)bird strike( on approach| during takeoff| on the previous flight| on the inbound flight|)',
      '(a |)collision with (a |)(bird|birds|flock of birds)( during landing| on the previous sector|)',
      'the aircraft (struck|hit) (a |)(bird|birds)',
      'the plane hitting a flock of birds shortly after take-off',
      'damage from a bird which struck the aircraft',
      'birds colliding with the aircraft on the inbound leg',
    ],
    eval: [
      'a bird strike during the approach of the previous flight',
      'several birds hitting the engine on take-off',
    ],
  },
  {
    id: 'runway_debris', extraordinary: true, reasonableGrounds: false, usedFor: DC, source: 'Germanwings C-501/17',
    train: [
      '(a |)(metal|loose) (part|object|screw) (lying|left) on the runway (bursting|puncturing|damaging) (a|the|one of the) (tyre|tire|tyres|tires)',
      '(runway|taxiway) debris (causing|which caused) (a |)(burst|punctured|damaged) (tyre|tire)',
      '(a |)foreign object( debris|) on the runway (damaging|puncturing|that damaged|that punctured) (a|the) (tyre|tire|tyres)',
      '(debris|a screw|a metal object) on the runway (damaged|punctured|burst) (a|the) (tyre|tire)',
      '(a |)(tyre|tire) (damaged|punctured) by (debris|a foreign object) on the runway',
      'a metal part lying on the runway that burst one of the tyres',
      'runway debris puncturing a tire during landing',
    ],
    eval: [
      'foreign object debris on the runway which damaged a tyre',
    ],
  },
  {
    id: 'hidden_defect_sabotage_terror', extraordinary: true, reasonableGrounds: false, usedFor: DC, source: 'Wallentin-Hermann C-549/07 para. 26',
    train: [
      '(the |)(regulator|aviation authority|manufacturer) (grounding|grounded) (the |)(aircraft type|fleet|type) (because of|over|due to) a (hidden|latent) (flaw|defect)',
      '(a |)(latent|hidden) (design|manufacturing) (flaw|defect) (found|identified|disclosed) by the (manufacturer|regulator)',
      '(a |)(terror|terrorist) (attack|threat|act)( near the airport| at the airport|)',
      '(deliberate |intentional |)(sabotage|damage by a saboteur)( of the aircraft|)',
      '(a |)hidden (manufacturing|design) defect (revealed|disclosed|announced) by the (manufacturer|aviation authority|regulator)',
      '(the |)(fleet|aircraft type) (was |)grounded by the (aviation authority|regulator|manufacturer) (due to|for|over) a (hidden|latent) (design|manufacturing) defect',
      '(an act of |)sabotage( on the aircraft|)',
      '(a |)terrorist (attack|incident|act)( at the airport|)',
      'the regulator grounding the entire type over a latent design flaw found by the manufacturer',
      'a terror attack near the airport',
      'deliberate sabotage of the aircraft',
    ],
    eval: [
      'a hidden defect in the aircraft design announced by the manufacturer',
      'a terrorist incident at the terminal',
    ],
  },
  {
    id: 'airport_fuel_failure', extraordinary: true, reasonableGrounds: false, usedFor: DC, source: 'SATA C-308/21',
    train: [
      '(an |)airport( wide|-wide|) (shortage|lack|failure) of (jet |aviation |)fuel',
      '(the |)(breakdown|failure|outage) of the airport (fuel|fuelling|hydrant) (system|supply|network)',
      'no (jet |aviation |)fuel (available|supply) at the airport',
      '(a |)(general |complete |)failure of the airport (fuel supply|fuelling system)',
      '(the |)airport (ran out of|had no) (jet fuel|fuel)( supply|)',
      '(a |)fuel (shortage|supply failure|supply system failure) at the airport',
      'an airport-wide shortage of jet fuel',
      'the breakdown of the airport fuel hydrant system',
    ],
    eval: [
      'a failure of the fuel supply at the airport',
    ],
  },
  {
    id: 'disruptive_passenger', extraordinary: true, reasonableGrounds: false, usedFor: DC, source: 'TAP C-74/19',
    train: [
      '(an |a |)(aggressive|drunk|violent|unruly) (traveller|passenger|customer) (forcing|who forced|causing) (the captain|the crew|us) to divert',
      '(a |)(passenger|traveller) (assaulting|attacking|threatening) (the |)crew( members|), (making|forcing) (a |)diversion( necessary|)',
      '(an |)(unscheduled |emergency |)diversion to (remove|offload) (a |an |)(disruptive|violent|unruly) (passenger|traveller)',
      '(a |)(disruptive|unruly|violent) passenger (forcing|who forced|that forced) (a |the aircraft into a |)diversion',
      '(a |)diversion (caused by|due to) (a |an |)(disruptive|unruly|violent) passenger',
      '(an |a |)(unruly|disruptive) passenger (had to be|was) offloaded( with their baggage|)',
      'an aggressive traveller who forced the captain to divert',
      'a passenger assaulting crew members, which made a diversion necessary',
    ],
    eval: [
      'an unruly passenger whose behaviour forced a diversion',
    ],
  },
  // ---------------------------------------------------------------- not extraordinary (§1.4)
  {
    id: 'technical', extraordinary: false, reasonableGrounds: false, usedFor: ALL, source: 'Wallentin-Hermann C-549/07; van der Lans C-257/14; Huzar',
    train: [
      '(an |a |)(unforeseen|unexpected|sudden) technical (issue|problem|fault)',
      '(the |)aircraft (needed|required|requiring|needing) (unplanned|unscheduled|urgent|emergency) (repairs|maintenance|work)',
      '(a |an |)(malfunctioning|faulty|failed|defective) (sensor|engine sensor|instrument|computer|flight control computer|navigation system)',
      '(a |)(fault|failure|problem) (in|with) the (avionics|flight control system|electrical system|flight management computer|autopilot)',
      '(a |)(broken|damaged|worn) (part|component) (that |which |)(had to be|needed to be|was) replaced',
      '(an |a |)(oil|hydraulic fluid|fuel) leak (found|discovered|detected) by (our |the |)(engineers|mechanics|technicians)',
      '(engineers|technicians|mechanics) (fixing|repairing|working on) (a |the |)(fault|defect|aircraft)',
      '(a |)technical (fault|problem|issue|defect|failure)( with the aircraft| on the aircraft|)',
      '(an |)engine (problem|failure|malfunction|fault)',
      '(a |)hydraulic (leak|failure|problem)',
      '(a |)(faulty|defective|broken) (brake|landing gear|door sensor|APU|valve|generator)',
      '(a |)software (glitch|failure|problem|fault) (on|in) the aircraft',
      '(the |)aircraft (was |)(AOG|grounded for repairs|unserviceable)',
      '(a |)defect (found|discovered|detected) during (routine |scheduled |)maintenance',
      '(the |)premature failure of (a |an |)(component|part|engine part)',
      '(a |)fuel (leak|pump fault|system fault)( on the aircraft|)',
      '(a |)cabin (pressurisation|pressurization) (problem|fault)',
      '(a |)mechanical (problem|issue|failure)',
      'unscheduled maintenance( of the aircraft|)',
      'the aircraft requiring unplanned repairs',
      'a malfunctioning sensor in one of the engines',
      'a fault in the avionics which engineers had to fix',
      'a broken part that had to be replaced before departure',
      'an oil leak found by our engineers',
      'a problem with the flight control computer',
    ],
    eval: [
      'a technical issue with the landing gear',
      'an engine that failed its pre-flight checks',
      'a hydraulic system failure found before departure',
      'a software fault in the aircraft systems',
    ],
  },
  {
    id: 'own_staff_strike', extraordinary: false, reasonableGrounds: false, usedFor: DC, source: 'Krüsemann C-195/17; Airhelp v SAS C-28/20',
    train: [
      '(our|the airline\'s|the carrier\'s) (flight crews|crews|pilots|cabin staff|employees) (walking out|on strike|striking)',
      '(employees|staff|crew) of the (airline|carrier) (calling in sick|reporting sick) (en masse|at the same time|together)',
      '(the |)(pilots\'|pilots|cabin crew) union (calling|called) a strike( against the airline|)',
      '(a |)strike (by|of) (our|the airline\'s|its own|the carrier\'s) (pilots|cabin crew|flight attendants|staff)',
      '(our |the |)(pilots|cabin crew|flight attendants) (strike|strikes|walkout|went on strike|on strike)',
      '(an |a |)(unofficial|wildcat) strike( by staff| by our crew|)',
      'mass (sick leave|sick calls|sickness absence) (by|of|among) (crew|staff|our pilots)',
      'industrial action by (our|the airline\'s|the carrier\'s) (pilots|crew|staff)',
      'our flight crews walking out',
      'employees of the airline calling in sick en masse',
      'the pilots\' union calling a strike against the airline',
    ],
    eval: [
      'strike action by the airline\'s own cabin crew',
      'a wildcat strike of our pilots',
    ],
  },
  {
    id: 'crew', extraordinary: false, reasonableGrounds: false, usedFor: DC, source: 'TAP C-156/22; Lipton v BA CityFlyer',
    train: [
      '(the |)(unavailability|absence|lack) of (flight |cabin |)crew',
      '(the |)(captain|pilot|first officer|purser) (becoming|feeling|taken) (unwell|ill|sick)',
      '(insufficient|not enough) (cabin |flight |)crew( to operate| available|)',
      'crew (illness|sickness|shortage|unavailability)',
      '(a |the |)(pilot|captain|first officer|crew member|flight attendant) (fell ill|was sick|called in sick|became ill)',
      'no (standby|reserve) crew (was |)available',
      '(a |)shortage of (crew|pilots|cabin staff|staff)',
      '(the |)crew (exceeded|reached|ran out of) (their |)(duty|flight time|working) (limits|hours)',
      '(the |)(sudden |)death of a crew member',
      'the unavailability of flight crew',
      'the captain becoming unwell before the flight',
      'insufficient cabin crew to operate',
    ],
    eval: [
      'a crew member being ill',
      'no reserve crew available to replace a sick pilot',
    ],
  },
  {
    id: 'ground_equipment', extraordinary: false, reasonableGrounds: false, usedFor: DC, source: 'Siewert C-394/14',
    train: [
      '(the |)(airport|ground handling|handling agent) (equipment|vehicle|stairs|catering vehicle) (hitting|colliding with|striking|damaging) (our|the) aircraft (while|when) (parked|on the stand|at the gate)',
      '(a |)collision (between|of) (a |)(ground|airport) (vehicle|equipment|stairs) (and|with) the (parked |stationary |)aircraft',
      '(the |)aircraft (was |)damaged (on the ground |at the stand |while parked |)by (airport|ground|handling) (stairs|equipment|vehicles)',
      '(a |)(boarding bridge|passenger stairs|belt loader|fuel truck) (hit|struck|damaged|scraped) the (aircraft|wing|door) (during|at) (boarding|turnaround|the stand)',
      '(a |the |)(set of |)(stairs|steps|jet bridge|loader) (being driven|driven|pushed) into the (parked|stationary) aircraft',
      '(a |the |)(ground|handling|service) vehicle (damaging|hitting|striking) the (fuselage|aircraft|wing)( at the stand| at the gate|)',
      '(a |the |)(mobile stairs|boarding stairs|catering truck|baggage vehicle|tug) (hit|struck|collided with|damaged) the (parked |)aircraft',
      'damage to the aircraft caused by (airport|ground) (equipment|vehicles|stairs)',
      'a set of stairs being driven into the stationary aircraft',
      'a ground vehicle damaging the fuselage at the stand',
    ],
    eval: [
      'airport stairs colliding with the parked aircraft',
    ],
  },
  {
    id: 'commercial', extraordinary: false, reasonableGrounds: false, usedFor: ALL, source: 'art. 4, 5(3)',
    train: [
      '(too many|more) (tickets|seats|bookings) (sold|booked|issued) than (seats|capacity|there were seats)',
      '(insufficient|too few|low) (bookings|reservations|passengers|sales) (on|for) the (route|flight)',
      '(a |)change (to|in) (our|the) (flight |summer |winter |)(programme|program|schedule|timetable)',
      '(the |)(flight was |)(overbooked|oversold|overbooking)',
      '(commercial|scheduling|planning|business) (reasons|decision|decisions)',
      'low (passenger |)(demand|bookings|load factor)',
      '(a |)schedule (change|optimisation|adjustment|consolidation)',
      'network (restructuring|planning|changes)',
      '(the |)aircraft (was |)(reassigned|redeployed|needed) (to|on) another (route|flight)',
      'insufficient bookings on the route',
      'a change to our flight programme',
      'the sale of more tickets than there were seats',
    ],
    eval: [
      'the flight having been overbooked',
      'a commercial decision to merge two flights',
    ],
  },
  {
    id: 'vague', extraordinary: false, reasonableGrounds: false, usedFor: ALL, source: 'LAW.md §1.4: vague cause, burden on the carrier',
    train: [
      '(aircraft|crew) rotation (problems|issues)',
      '(a |the |)(delayed|late) (incoming|inbound|previous) (plane|aircraft|flight)',
      'operational (constraints|circumstances|matters)( on the day|)',
      'circumstances (outside|beyond) (the airline\'s|the carrier\'s|our) control',
      'operational (reasons|issues|difficulties|problems|requirements)',
      '(a |the |)late (inbound|incoming|arriving) aircraft',
      '(the |)late arrival of the (incoming|inbound|previous) (aircraft|flight)',
      '(knock-on|rotational|reactionary|consequential) (delay|delays|effects)',
      '(unforeseen|unexpected|exceptional|extraordinary) circumstances( beyond our control|)',
      '(an |)earlier delay( in the day| of the aircraft|)',
      'reasons beyond our control',
      'aircraft rotation problems',
      'a delayed incoming plane',
      'operational constraints on the day',
      'circumstances which were outside the airline\'s control',
    ],
    eval: [
      'operational reasons on the day',
      'the late arrival of the aircraft from its previous flight',
    ],
  },
  // ---------------------------------------------------------------- denied boarding (§1.3 B2)
  {
    id: 'passenger_health', extraordinary: false, reasonableGrounds: true, usedFor: DB, source: 'art. 2(j)',
    train: [
      '(the |)(traveller|passenger|customer) (being |was |)(judged|considered|found) (not fit|unfit) (for air travel|to fly|to travel)( by medical staff| by a doctor|)',
      '(the |)(traveller|passenger|customer) (being |was |)(visibly |obviously |)(sick|ill|unwell)( with a contagious illness| with a fever|)',
      '(the |)passenger (appeared|was|seemed) (unwell|ill|unfit to fly|too sick to fly)',
      '(a |)medical (condition|concerns) (of|about) the passenger',
      'the passenger (had no|lacked a|could not show a) (fit to fly|medical) (certificate|clearance)',
      '(the |)passenger\'s (health|medical condition)',
      'the traveller being judged not fit for air travel by medical staff',
      'the passenger being visibly sick with a contagious illness',
    ],
    eval: [
      'concerns about the passenger\'s health at the gate',
      'the passenger\'s medical condition making travel unsafe',
    ],
  },
  {
    id: 'passenger_conduct', extraordinary: false, reasonableGrounds: true, usedFor: DB, source: 'art. 2(j) (safety)',
    train: [
      '(the |)(traveller|passenger|customer|claimant) (being |was |)(heavily |visibly |)(drunk|intoxicated)( at the gate| at boarding|)',
      '(threatening|aggressive|abusive|violent) (conduct|behaviour|behavior) (of|by) the (traveller|passenger|customer|claimant)( towards staff| at the gate|)',
      'the passenger was (intoxicated|drunk|under the influence of alcohol)',
      '(abusive|aggressive|threatening|violent) (behaviour|behavior) (by|of) the passenger( at the gate| towards staff|)',
      'the passenger posed a (safety|security) risk',
      'safety concerns about the passenger',
      'the traveller being heavily drunk at the gate',
      'threatening conduct of the claimant towards gate staff',
    ],
    eval: [
      'the passenger\'s drunken behaviour at the gate',
      'the claimant behaving aggressively towards the boarding staff',
    ],
  },
  {
    id: 'passenger_security', extraordinary: false, reasonableGrounds: true, usedFor: DB, source: 'art. 2(j) (security)',
    train: [
      '(the |)(traveller|passenger|customer) (refusing|refused) to be (searched|screened) at (the |)security( checkpoint|)',
      '(an |)(instruction|order|request) from (the |)(border police|police|immigration authorities) not to (carry|board) (this|the) (passenger|traveller)',
      'the passenger (failed|refused) (the |)security (screening|check|search)',
      '(the |)passenger (was |)flagged by (security|the authorities|the police)',
      '(security|police) (concerns|instructions|orders) (about|regarding) the passenger',
      'the traveller refusing to be searched at the security checkpoint',
      'an instruction from border police not to carry this passenger',
    ],
    eval: [
      'a security check the passenger did not pass',
    ],
  },
  {
    id: 'travel_documents', extraordinary: false, reasonableGrounds: true, usedFor: DB, source: 'art. 2(j) (inadequate travel documents)',
    train: [
      '(no|a missing|an invalid|an expired) (ESTA|eTA|electronic travel authorisation|visa waiver|transit visa)( for the destination|)',
      'the passenger (lacked|had no|could not show) (the |a |)(required |)(entry|health|vaccination) (certificate|documents|permit)',
      'no (valid |)(visa|entry visa|passport) for the destination( country|)',
      '(a |)travel document (that |which |)(did not meet|failing) (the |)entry requirements',
      '(the |)(traveller|passenger|customer) (carrying|holding|presenting) an (out of date|expired|invalid) (passport|visa|ID card)',
      '(an |)(invalid|expired|missing) (passport|visa|travel documents|ID card)',
      'the passenger (had no|lacked a|did not hold a) valid (visa|passport|entry permit|residence permit)',
      'inadequate (travel |)(documents|documentation)',
      '(the |)(passport|visa) (had expired|was not valid for entry|was damaged)',
      'no visa for the destination country',
      'a travel document that did not meet the entry requirements',
      'the traveller carrying an out of date passport',
    ],
    eval: [
      'the passenger\'s passport having expired',
      'no valid visa for entry',
    ],
  },
  {
    id: 'boarding_operational', extraordinary: false, reasonableGrounds: false, usedFor: DB, source: 'art. 4; Finnair C-22/11',
    train: [
      '(fewer|less) seats (after|because) the aircraft was (replaced|changed|swapped)',
      'more passengers (checked in|showed up|booked) than seats (available|on board)',
      'seats (given|allocated) to (positioning|deadheading) (pilots|crew|staff)',
      '(the |)flight (being |was |)(overbooked|oversold)',
      'operational reasons',
      '(an |a |)(aircraft|equipment) (change|swap) to a smaller (aircraft|plane|type)',
      '(weight|payload|balance) (restrictions|limitations)',
      'seats (needed|required) for (crew|staff|employees) (travelling|positioning)',
      '(a |)downgrade of (the |)aircraft',
      '(the |)rescheduling of flights after a strike',
      'fewer seats after the aircraft was replaced',
      'more passengers checked in than seats available',
      'seats given to positioning pilots',
    ],
    eval: [
      'overbooking of the flight',
      'a smaller aircraft being used on the day',
    ],
  },
];

/** Every category with the wordings of cause-phrases-styles.ts added to its TRAIN wordings. */
export const CAUSE_CATEGORIES: readonly CauseCategory[] = BASE_CAUSE_CATEGORIES.map((c) => ({ ...c, train: [...c.train, ...(MORE_TRAIN[c.id] ?? [])] }));

type Frame = string; // {c}: cause, {v}: participle of the disruption, {n}: its noun

// Training frames deliberately use the neutral words carriers write around a cause (airline,
// carrier, operations, records, reported, unfortunately …) so that the classifier learns they
// mean nothing; the evaluation frames are other sentences built from such words.
const TRAIN_FRAMES: readonly Frame[] = [
  '{c}',
  '{c}.',
  'due to {c}',
  'Due to {c}.',
  'The flight was {v} due to {c}.',
  'Your flight was {v} because of {c}.',
  '{v} owing to {c}',
  'We regret to inform you that the flight was {v} as a result of {c}.',
  'Reason: {c}',
  'The {n} was caused by {c}.',
  '{c} - flight {v}',
  'Flight {v}: {c}',
  'This {n} resulted from {c}.',
  'Cause of {n}: {c}',
  'The carrier reports {c} as the reason for the {n}.',
  'Airline statement: the {n} was due to {c}.',
  'Operations log: {c}; flight {v}.',
  'Unfortunately the flight had to be {v} following {c}.',
  'As stated in our records, {c} led to the {n}.',
  'The airline explained that {c} was the reason the flight was {v}.',
  'Per the operations control centre the {n} is attributable to {c}.',
  'Reported by the carrier: {c}',
  'Our operations team confirmed {c}, hence the {n}.',
  'The responsible cause was {c}.',
  // first used as evaluation frames, since folded into training
  'Cause stated by the airline: {c}',
  'The airline attributed the {n} to {c}.',
  'According to the carrier, {c} was responsible.',
  '{c}, according to our operations department',
  'Unfortunately {c} meant that we could not operate as planned.',
  'This was the consequence of {c}.',
  'Reported reason — {c}',
  'Our records show {c}.',
  // notification e-mails, rejection letters, ops logs
  'We have reviewed your claim. The {n} was caused by {c}, which is beyond our control, and no compensation is due.',
  'Your claim has been rejected: {c}.',
  'Dear Sir or Madam, thank you for contacting us about your {n}. Our investigation shows that {c} was the cause.',
  'DLY: {c}',
  'Ops remark - {c}',
  'RSN: {c}',
  'IRREG: {c}',
  'Flight {v}. Reason code: {c}',
  'Notification: your flight is {v}. This is due to {c}. We apologise for any inconvenience.',
  'The {n} occurred because of {c}; we took all reasonable measures.',
  'Following {c}, the flight was {v}.',
  '{c} was the reason for the {n}.',
  'As explained at the airport, {c}.',
  'Please note {c} led to your flight being {v}.',
];

const EVAL_FRAMES: readonly Frame[] = [
  'Explanation given: {c}.',
  'We had to change your flight because of {c}.',
  'The reason for the {n} of your flight was {c}.',
  '{c} made it necessary to change the schedule.',
  'Customer services advised: {c}.',
  'The disruption is explained by {c}.',
];

/** Neutral openings and closings carriers add; TRAIN and EVAL use different ones. */
const TRAIN_FILLERS: readonly string[] = [
  '', '', '', '', 'Dear passenger, ', 'We apologise for the inconvenience. ', 'Please accept our apologies. ',
  'Thank you for your patience. ', 'Ref. case handled by customer relations. ', 'Hello, ', 'Sorry for any trouble caused. ',
  'Kind regards, customer care. ',
];
const EVAL_FILLERS: readonly string[] = ['', '', '', 'Dear customer, ', 'We are sorry. ', 'Best wishes, the claims team. '];

const VERB: Record<Disruption, readonly string[]> = {
  delay: ['delayed', 'late', 'held'],
  cancellation: ['cancelled', 'canceled', 'withdrawn'],
  denied_boarding: ['denied boarding', 'refused boarding', 'offloaded'],
};
const NOUN: Record<Disruption, readonly string[]> = {
  delay: ['delay', 'late arrival'],
  cancellation: ['cancellation', 'withdrawal of the flight'],
  denied_boarding: ['denied boarding', 'refusal to board'],
};

/**
 * Optional training augmentation (off in the shipped models: it measured worse on held-out
 * TRAIN wordings): up to three random letter strings inserted at random places, hashing to
 * random buckets as unseen words do.
 */
function withUnseenWords(text: string, r: Rng): string {
  const words = text.split(' ');
  const k = r.pick([0, 1, 1, 2, 2, 3]);
  for (let i = 0; i < k; i++) {
    const len = r.int(3, 9);
    let w = '';
    for (let j = 0; j < len; j++) w += String.fromCharCode(97 + r.int(0, 25));
    words.splice(r.int(0, words.length), 0, w);
  }
  return words.join(' ');
}

/** Expands `(a|b|)` groups by random choice (groups do not nest). */
export function expandTemplate(template: string, r: Rng): string {
  return template.replace(/\(([^()]*)\)/g, (_, body: string) => r.pick(body.split('|'))).replace(/\s+/g, ' ').trim();
}

/**
 * `train` / `eval`: the two disjoint wordings. `devtrain` / `devtest` split the TRAIN wording
 * alone (every fourth core and frame held out) for choosing hyperparameters without looking at
 * the EVAL wording.
 */
export type PhraseSet = 'train' | 'eval' | 'devtrain' | 'devtest';

const dev = <T>(items: readonly T[], set: PhraseSet): readonly T[] =>
  set === 'devtrain' ? items.filter((_, i) => i % 4 !== 3) : set === 'devtest' ? items.filter((_, i) => i % 4 === 3) : items;

export interface Phrase {
  text: string;
  category: string;
  extraordinary: boolean;
  reasonableGrounds: boolean;
}

/** Categories whose causes are written for this disruption. */
export const categoriesFor = (d: Disruption): CauseCategory[] => CAUSE_CATEGORIES.filter((c) => c.usedFor.includes(d));

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** What an earlier event leads to; the event decides (TRAIN compounds). */
const CONSEQUENCES: readonly string[] = [
  'The aircraft missed its ATC slot',
  'Slot lost',
  'A mandatory inspection of the aircraft was required',
  'Technical inspection',
  'Engineers had to check the aircraft',
  'Late inbound aircraft',
  'Knock-on delay',
  'The aircraft had to be inspected before it could fly again',
];

/** One phrasing of a cause of `category` for a disruption `d`, from the train or the eval wording. */
export function phrase(category: CauseCategory, d: Disruption, set: PhraseSet, r: Rng, unseenWords = false): Phrase {
  const training = set !== 'eval';
  const core = expandTemplate(r.pick(training ? dev(category.train, set) : category.eval), r);
  const frame = r.pick(training ? dev(TRAIN_FRAMES, set) : EVAL_FRAMES);
  let text = frame.replace('{v}', r.pick(VERB[d])).replace('{n}', r.pick(NOUN[d]));
  text = frame.startsWith('{c}') ? text.replace('{c}', core.charAt(0).toUpperCase() + core.slice(1)) : text.replace('{c}', core);
  // Compounds (TRAIN only): a negated cause of the other label next to the real one, or a
  // consequence named with its earlier cause; the real / earlier cause keeps its label.
  if (training && d !== 'denied_boarding' && r.chance(0.12)) {
    const others = categoriesFor(d).filter((c) => c.extraordinary !== category.extraordinary);
    const other = expandTemplate(r.pick(dev(r.pick(others).train, set)), r);
    text = r.pick([
      `Not ${other}; ${core}.`,
      `${capital(core)} (not ${other}).`,
      `The ${r.pick(NOUN[d])} was not caused by ${other} but by ${core}.`,
      `No ${other} involved, the reason was ${core}.`,
    ]);
  } else if (training && d !== 'denied_boarding' && r.chance(0.1)) {
    text = `${r.pick(CONSEQUENCES)} ${r.pick(['due to an earlier', 'after', 'following', 'as a result of', 'caused by', 'because of an earlier'])} ${core}`;
  }
  // Knock-on wording: an extraordinary event on the previous rotation stays extraordinary when it
  // is named (C-74/19 para. 49‑54); the training set shows the vague prefix with both labels.
  if (training && d !== 'denied_boarding' && r.chance(0.1)) text = `Late inbound aircraft after ${core}`;
  const filler = r.pick(training ? dev(TRAIN_FILLERS, set) : EVAL_FILLERS);
  text = r.chance(0.5) ? filler + text : `${text} ${filler}`.trim();
  if (training && set !== 'devtest' && unseenWords) text = withUnseenWords(text, r);
  return { text, category: category.id, extraordinary: category.extraordinary, reasonableGrounds: category.reasonableGrounds };
}

/** A random phrase for disruption d: category uniform over those written for d. */
export function randomPhrase(d: Disruption, set: PhraseSet, r: Rng): Phrase {
  return phrase(r.pick(categoriesFor(d)), d, set, r);
}
