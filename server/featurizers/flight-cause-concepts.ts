// The stated cause (`flight.carrierStatedCause`) read as concepts rather than surface words, for
// the EU261/UK261 models (LAW.md §1.4, §1.3 B2). Deterministic and versioned: the same text gives
// the same integer counts on every machine; changing anything here changes S_0, so bump
// CAUSE_CONCEPTS_VERSION (and the featurizers' versions) with it.
//
//   1. normalize: NFKC, lower case, diacritics and apostrophes dropped ("crew's" → "crews"),
//      "a/c" → aircraft; letters and digits form words; . , ; : ! ? ( ) and "but", "however",
//      "instead", "whereas", "although" end a clause (negation scope)
//   2. lemmatise: a word becomes the first of its candidate lemmas (itself, an irregular form's
//      lemma, then fixed suffix rules: -ies → -y, -es, -s, -ing, -ed, …) that the lexicon knows
//   3. terms: longest match (up to 4 lemmas) against the lexicon: the aviation lexicon below
//      (terms, abbreviations, spellings and misspellings a general resource lacks) first, then
//      the WordNet 3.1 table (flight-cause-wordnet.ts, generated: a gull or a heron is a bird; a
//      pump, a radar or a transponder a device; influenza an illness; a truck a ground vehicle)
//   4. negation: "not", "no", "non", "without", "never", "nor", "unrelated", "…n't" put the
//      concepts after them, to the end of their clause, in their negated column ("not weather
//      related", "no standby crew"); a negation that finds no concept after it ("… suspected but
//      not confirmed", "… was not the cause") applies to the clause before it instead
//   5. counts: per concept, the non-negated count and the negated count, each clamped to 2
//
// The model (arbitration-models/flight-law) weighs the whole vector: an earlier event named next
// to a consequence ("slot missed due to an earlier hydraulic fault", "inspection after a bird
// strike", "crew shortage after a storm days earlier") is decided by the concepts' learned
// weights, with the chain cues ("earlier", "after", "following", "previous") as concepts too.
import { WORDNET_CONCEPT_WORDS } from './flight-cause-wordnet.js';

export const CAUSE_CONCEPTS_VERSION = '2.0.0';

/** Each concept's terms, in normalized lemma form (spaces between words). Misspellings included. */
const LEXICON: Readonly<Record<string, string>> = {
  // ------------------------------------------------------------------ weather (§1.4, recital 14)
  weather:
    'weather|wx|meteorological|meteo|meteorology|met office|climatic|climate|storm|thunderstorm|thunder storm|thunderstorms|tstorm|ts|cb|cumulonimbus|snow|snowfall|snowstorm|snow storm|snowing|blizzard|blizard|blizzards|fog|foggy|mist|haze|ice|icing|icy|iced|freezing|frozen|frost|hail|hailstorm|sleet|rain|rainfall|downpour|wind|windy|gust|gusty|crosswind|cross wind|tailwind|windshear|wind shear|hurricane|typhoon|cyclone|tornado|gale|squall|turbulence|visibility|low visibility|lvp|minima|minimum|below minima|heatwave|heat|sandstorm|dust storm|flood|flooding|volcanic|weahter|wheather|wether|whether conditions|stormy|snowy|de ice|de icing|deice|deicing|anti icing|deicer|winter|ice storm|freezing rain|atmospheric|monsoon|white out|whiteout|tropical storm',
  lightning: 'lightning|lightening|lighting strike|thunderbolt|lightning strike|struck by lightning|electrical storm',
  // ------------------------------------------------------------------ air traffic control
  atc:
    'atc|air traffic control|air traffic controller|air trafic control|air traffic controll|air trafic controll|air traffic|air traffic management|air traffic flow management|atfm|atm|flow control|flow management|flow restriction|eurocontrol|euro control|network manager|nmoc|cfmu|ansp|air navigation service|air navigation service provider|nats|dfs|enav|dsna|skyguide|aena|controller|controllers|control centre|control center|area control|acc|tower|approach control|capacity restriction|airspace capacity|regulation|regulations|regs|reg|atc slot|slot regulation',
  slot: 'atc slot|slot|slots|ctot|calculated take off time|take off slot|departure slot|arrival slot|slot time|slot restriction|slot delay|new slot|lost slot|slot lost|missed slot',
  airspace: 'airspace|air space|flight path|route|enroute|en route|enr|fir',
  // ------------------------------------------------------------------ strikes
  strike: 'strike|strk|strikes|striking|striked|industrial action|walkout|walk out|work stoppage|stoppage|picket|go slow|work to rule|sick out|sickout|wildcat|wild cat|mass sick|sick call|sick calls|en masse',
  union: 'union|trade union|labour union|labor union|unions',
  own_staff:
    'our|own|in house|company|airline employee|our employee|our staff|our pilot|our crew|our engineer|carrier employee|employed by us|employed by the airline|airline staff|airline own',
  employee: 'employee|staff|personnel|worker|workforce|workers|colleague|team',
  third_party:
    'third party|airport operator|airport authority|airport company|handling company|handling agent|ground handler|ground handling company|contractor|subcontractor|not employed|outside the airline|outside our control|external|border|border control|border police|customs|immigration|passport control|fire service|fire brigade|firefighter|government|national|nationwide|general strike|public sector|country|police|authorities',
  // ------------------------------------------------------------------ crew
  crew: 'crew|crews|crewmember|crew member|cabin crew|flight crew|cockpit crew|pilot|pilots|captain|capt|cpt|first officer|fo|copilot|co pilot|flight attendant|cabin attendant|purser|steward|stewardess|cabin staff|cabin manager|aircrew|air crew|crewing|roster|rostering|crew scheduling|crew shortage|standby crew|reserve crew|replacement crew|crew sick|crew illness',
  duty_time:
    'duty time|duty hour|duty hours|duty limit|duty limits|flight time limitation|flight time limitations|ftl|out of hours|out of hour|timed out|time out|timeout|exceeded their hours|working hours|working time|rest period|rest requirement|maximum duty|duty period|flight duty period|fdp',
  shortage: 'shortage|short|shortfall|lack|lacking|insufficient|not enough|too few|unavailable|unavailability|absence|absent|missing|no show|understaffed|understaffing|staffing|staff shortage|crew shortage',
  standby: 'standby|stand by|reserve|reserve crew|standby crew|replacement crew|replacement|call in|called in|relief',
  illness: 'sick|sickness|ill|illness|unwell|disease|fever|infection|infectious|contagious|covid|flu|influenza|medical|medically|food poisoning|injury|injured|collapse|collapsed|heart attack|seizure|sick leave|unfit|not fit|unfit to fly|fit to fly',
  death: 'death|died|die|dead|passed away|deceased|bereavement|fatality',
  // ------------------------------------------------------------------ technical (not extraordinary)
  technical:
    'technical|tech|tecnical|techincal|technial|techical|tehnical|technically|fault|faulty|defect|defective|malfunction|malfunctioning|malfunctioned|failure|fail|failed|failing|broken|break|breakdown|broke|inoperative|inop|u s|unserviceable|unservicable|serviceability|glitch|bug|error|leak|leaking|leakage|warning light|caution|snag|technical problem|technical issue|technical fault|mechanical|mechanic problem|wear|worn|crack|cracked|damage|damaged|overheat|overheating|overheated|vibration|smoke|fumes|smell|stuck|jammed|outage|power loss|loss of power|shut down|shutdown|ifsd|rejected take off|rto|aog|aircraft on ground|unscheduled|unplanned|deferred defect|deferred|mel|mel item|minimum equipment list|dispatch deviation|cdl|no go item|nogo',
  component:
    'apu|auxiliary power unit|hydraulic|hydraulics|hyd|hydraulic system|hydraulic pump|pack|air conditioning|air conditioning pack|aircon|air con|a c pack|bleed|bleed air|avionics|fmc|fms|flight management computer|flight management system|landing gear|gear|undercarriage|nose gear|main gear|flap|flaps|slat|slats|actuator|pitot|pitot probe|probe|windshield|windscreen|windshield heater|window|cockpit door|door|cargo door|seal|door seal|wheel|brake|brakes|engine|engines|eng|motor|turbine|fan blade|blade|fuel pump|fuel system|fuel quantity|generator|gen|idg|ecs|cabin pressure|pressurisation|pressurization|pressure controller|transponder|radar|weather radar|sensor|smoke detector|detector|instrument|computer|software|firmware|system|systems|circuit|wiring|electrical|electric|battery|valve|pump|oil|oil pressure|fuel leak|autopilot|autothrottle|navigation|nav|gps|adiru|ahrs|tcas|egpws|lavatory|galley|oven|toilet|part|parts|spare part|spare|component|unit|module|panel|display|screen|light|lights|antenna|heater|heating|anti ice|anti ice system|fire extinguisher|extinguisher|oxygen|mask|emergency slide|slide|escape slide|seat|seatbelt|tail|rudder|aileron|elevator|stabiliser|stabilizer|thrust reverser|reverser|nacelle|cowl|fuselage|structure|structural',
  maintenance:
    'maintenance|mx|mro|repair|repairs|repaired|fix|fixed|fixing|engineer|engineers|engineering|mechanic|mechanics|technician|technicians|line maintenance|base maintenance|hangar|replace|replaced|replacing|replacement part|swap part|troubleshoot|troubleshooting|rectify|rectification|service|servicing|overhaul',
  inspection: 'inspection|inspect|inspected|inspecting|check|checked|checks|checking|examine|examined|examination|borescope|boroscope|walkaround|walk around|survey|test|tested|testing|self test|self-test|safety check|safety inspection|mandatory inspection|visual check|damage assessment',
  aircraft: 'aircraft|a c|ac|plane|airplane|aeroplane|jet|airframe|machine|equipment|fleet|type|aircraft type|tail number|registration',
  // ------------------------------------------------------------------ bird strike, lightning, FOD
  bird: 'bird|birds|birdstrike|bird strike|bird hit|birdhit|flock|geese|goose|gull|seagull|sea gull|starling|pigeon|heron|buzzard|hawk|falcon|eagle|crow|duck|swan|stork|wildlife|bat|brid|brid strike|bird ingestion|bird of prey|avian',
  ingestion: 'ingestion|ingest|ingested|ingesting|sucked|sucked in',
  impact: 'hit|hits|hitting|struck|strike aircraft|collide|collided|collision|colliding|impact|impacted|bump|bumped|crash|crashed|scrape|scraped|run into|ran into|drove into|driven into|contact',
  fod: 'fod|foreign object|foreign object debris|foreign object damage|foreign body|debris|object|screw|bolt|nail|metal|metal part|metal object|piece|fragment|stone|rock|rubbish|litter|loose item',
  tyre: 'tyre|tire|tyres|tires|tyer|puncture|punctured|burst|blown|blowout|blow out|flat tyre|flat tire|wheel change|tyre change|tire change',
  runway: 'runway|rwy|taxiway|twy|apron|tarmac|ramp',
  // ------------------------------------------------------------------ airport, security, unrest, fuel
  closure: 'closure|closed|close|closing|shut|shutdown|shut down|suspended|suspension|halt|halted|evacuation|evacuate|evacuated|lockdown|no landing|no landings|no departures|ground stop|grounded all|all flights',
  airport: 'airport|terminal|aerodrome|airfield|hub|station|field',
  security: 'security|security alert|security incident|security risk|security threat|threat|threatening|suspicious|suspicious package|unattended|unattended bag|unattended item|explosive|explosives|bomb|bomb threat|bomb scare|bomb alert|security check|screening|security screening|searched|search|scanner|x ray|prohibited|prohibited item|police|no fly|no fly list|watchlist|watch list|flagged|risk',
  terror: 'terror|terrorist|terrorism|attack|attacked|sabotage|sabotaged|saboteur|malicious|vandalism|vandalised|vandalized|deliberate damage|act of war|hijack|hijacking|drone|drones|drone sighting|cyber attack|cyberattack',
  unrest: 'political|politics|unrest|protest|protests|protester|riot|riots|demonstration|demonstrations|conflict|war|military|armed|coup|instability|civil unrest|curfew|state of emergency|sanctions|missile',
  volcano: 'volcano|volcanic|volcanic ash|ash|ash cloud|eruption|erupt|erupted|erupting|plume|lava|eyjafjallajokull',
  fuel: 'fuel|jet fuel|jet a1|kerosene|kerosine|refuel|refuelling|refueling|fuelling|fueling|hydrant|fuel supply|fuel farm|fuel depot|bowser',
  supply: 'supply|distribution|delivery|provider|depot|farm',
  general: 'general|whole|entire|all airline|all airlines|every airline|all carrier|all carriers|any aircraft|any airline|airport wide|airportwide|nationwide|region wide',
  // ------------------------------------------------------------------ passengers
  passenger: 'passenger|passengers|pax|pasenger|passanger|traveller|traveler|travellers|customer|customers|claimant|guest|person|client|man|woman|individual|infant|child',
  disruptive:
    'disruptive|unruly|violent|violence|aggressive|aggression|abusive|abuse|threatening behaviour|drunk|drunken|intoxicated|intoxication|inebriated|alcohol|under the influence|assault|assaulted|fight|fighting|brawl|misconduct|misbehaviour|behaviour|behavior|behaved|rowdy|disorderly|harass|harassment|verbal abuse|smoking|vape|vaping|restrained|refused to comply|non compliant|noncompliant|unable to walk|could not walk',
  diversion: 'divert|diversion|diverted|diverting|emergency landing|precautionary landing|unscheduled landing|return to gate|air return|returned',
  offload: 'offload|offloaded|offloading|removed|escorted off|deplane|deplaned|disembark|disembarked',
  // ------------------------------------------------------------------ hidden defect revealed by maker / authority
  directive: 'directive|airworthiness directive|emergency airworthiness directive|ad|ead|service bulletin|alert service bulletin|bulletin|asb|sb|mandatory|ordered|instruction|grounding|grounded|ground|groundings|recall|recalled|notam|safety notice|safety directive|emergency directive|precaution|precautionary',
  manufacturer: 'manufacturer|manufacturers|maker|makers|boeing|airbus|embraer|bombardier|atr|pratt|whitney|pratt whitney|rolls royce|rolls|royce|cfm|general electric|ge|oem|producer|engine maker|engine manufacturer|supplier|vendor',
  authority: 'authority|authorities|easa|faa|caa|regulator|regulators|aviation authority|civil aviation|civil aviation authority|ministry|dgac|lba|ntsb|aaib|safety authority|transport authority|government order',
  hidden: 'hidden|latent|concealed|undetectable|undetected|unknown|invisible|design|design flaw|design defect|manufacturing|manufacturing defect|manufacturing flaw|production|production defect|batch|inherent|flaw|flawed|whole fleet|fleet wide|fleetwide|same type|all aircraft of the type',
  // ------------------------------------------------------------------ ground equipment hitting the parked aircraft (Siewert)
  ground_vehicle: 'stairs|stair|steps|mobile stairs|boarding stairs|jet bridge|jetbridge|jetway|air bridge|airbridge|boarding bridge|loader|belt loader|catering|catering truck|tug|tractor|pushback|push back|tow|towbar|tow bar|vehicle|truck|lorry|van|baggage cart|cart|dolly|fuel truck|bus|ground equipment|gse|ground support equipment|high loader|k loader',
  parked: 'parked|stationary|at the stand|on stand|at the gate|on the ground|during boarding|during turnaround|stand',
  // ------------------------------------------------------------------ vague / own operation
  turnaround: 'turnaround|turn around|turnround|turn round|ground time|ground handling|handling|baggage|bags|luggage|loading|load|unloading|cleaning|catering delay|boarding|late boarding|slow|slowly|queue|queues|congestion|gate|gate change|paperwork|documentation delay|load sheet|loadsheet|pushback delay',
  late_inbound: 'late inbound|inbound|incoming|arriving aircraft|rotation|rotational|reactionary|knock on|knockon|knock on effect|previous delay|earlier delay|late arrival|late aircraft|aircraft arrived late|arrived late|consequential|cascade|cascading|domino',
  operational: 'operational|operations|operation|ops|operating|operate|reasons|reason|circumstance|circumstances|unforeseen|unforseen|unexpected|unavoidable|exceptional|extraordinary|beyond our control|beyond control|outside our control|control|situation|issue|issues|problem|problems|matter|matters|difficulty|difficulties|constraint|constraints|requirement|requirements',
  commercial: 'commercial|commercially|business|economic|overbook|overbooked|overbooking|over booked|over booking|overbookng|oversold|oversell|overselling|over sold|full|fully booked|booking|bookings|demand|load factor|low demand|low bookings|consolidate|consolidated|consolidation|merge|merged|combine|combined|network|network planning|planning|discontinue|discontinued|withdrawn|sales|sold|revenue|profit|cost|costs|optimisation|optimization',
  schedule: 'timetable change|programme change|schedule change|schedule changes|scheduling decision|rescheduling|reschedule|rescheduled|retimed|retiming|re timed|flight programme|summer schedule|winter schedule',
  aircraft_change: 'aircraft change|equipment change|aircraft swap|swap|swapped|substitution|substitute|smaller aircraft|smaller plane|smaller type|downgrade|downgauge|down gauge|downsize|capacity|seat|seats|seating|weight|balance|payload|weight and balance',
  // ------------------------------------------------------------------ denied boarding, §1.3 B2
  document: 'document|documents|documentation|travel document|travel documents|passport|passports|pasport|visa|visas|viza|esta|eta|etias|id|id card|identity|identity card|identification|residence permit|permit|permits|entry permit|green card|certificate|vaccination|vaccination certificate|health certificate|proof|paperwork|consent form|transit visa|entry requirement|entry requirements|travel authorisation|travel authorization|name mismatch',
  invalid: 'invalid|not valid|expired|expire|expiry|out of date|lapsed|damaged|insufficient validity|validity|mismatch|did not match|not match|wrong|incorrect|forged|fake|fraudulent|missing',
  health: 'health|healthy|medical|medical condition|condition|doctor|physician|paramedic|pregnancy|pregnant|weeks pregnant|contagious|infectious|fit to fly|fitness to fly|oxygen|wheelchair|mobility|disability|symptom|symptoms|vomiting|bleeding|chickenpox|measles|tuberculosis|quarantine',
  weapon: 'weapon|weapons|knife|gun|firearm|ammunition|taser',
  // ------------------------------------------------------------------ chain and hedge cues
  earlier: 'earlier|previous|preceding|prior|previously|before|the day before|days earlier|days before|last week|earlier in the week|earlier in the day|earlier that day|inbound flight|previous flight|previous sector|previous leg|preceding flight|inbound leg|inbound sector|the previous day',
  consequence: 'after|following|followed|subsequent|subsequently|result|resulted|resulting|as a result|consequence|consequently|caused by|because of|due to|owing to|therefore|hence|led to|lead to|leading to|attributable|attributed',
  hedge: 'suspected|suspect|possible|possibly|potential|potentially|alleged|allegedly|presumed|unconfirmed|rumoured|rumored|may have|might have|could have',
};

/** The concepts in column order (the featurizer's columns: each concept, then each negated). */
export const CAUSE_CONCEPTS: readonly string[] = (() => {
  const names = [...Object.keys(LEXICON)];
  for (const c of Object.keys(WORDNET_CONCEPT_WORDS)) if (!names.includes(c)) names.push(c);
  return names;
})();

const CLAUSE_END_WORDS = new Set(['but', 'however', 'instead', 'whereas', 'although', 'though', 'yet', 'rather']);
const NEGATORS = new Set(['not', 'no', 'non', 'without', 'never', 'nor', 'neither', 'unrelated', 'nothing', 'none', 'cannot']);
const NEGATED_CONTRACTIONS = new Set(['isnt', 'wasnt', 'werent', 'arent', 'didnt', 'doesnt', 'dont', 'hasnt', 'hadnt', 'havent', 'wont', 'couldnt', 'wouldnt']);

const INERT_WORDS = 'a an the of to in on at by for with from into onto and or as that which who this these those it its is was were be been being are has had have we us i my me he she they their them his her there then so if also very all your flight flights delayed delay delays cancelled canceled cancellation late arrival departure departed arrived unfortunately regret inform apologise apologize apologies sorry dear customer passengers please thank kind regards sincerely hello could would should may might must can will shall did do does had been being some any more most less such same other another than when while where why how what hour hours minutes day days date time today yesterday tomorrow'.split(' ');

/** Irregular forms whose lemma the suffix rules cannot reach. */
const IRREGULAR: Readonly<Record<string, string>> = {
  geese: 'goose', mice: 'mouse', struck: 'strike', ran: 'run', fell: 'fall', fallen: 'fall', flew: 'fly', flown: 'fly', broke: 'break',
  broken: 'broken', froze: 'freeze', blew: 'blow', blown: 'blown', took: 'take', taken: 'take', went: 'go', gone: 'go', hit: 'hit',
  caught: 'catch', found: 'find', made: 'make', led: 'lead', drove: 'drive', driven: 'driven', shut: 'shut', sold: 'sold', oversold: 'oversold',
  children: 'child', men: 'man', women: 'woman', people: 'person', leaves: 'leave', knives: 'knife', lives: 'life', wives: 'wife',
  ill: 'ill', died: 'die', dying: 'die', lying: 'lie', tyres: 'tyre', tires: 'tire', stairs: 'stairs', aircraft: 'aircraft', ops: 'ops',
  pax: 'pax', news: 'news', status: 'status', gas: 'gas', bus: 'bus', atc: 'atc', notams: 'notam', mels: 'mel', ads: 'ad', was: 'was', has: 'has', is: 'is', us: 'us', this: 'this',
};

interface Lexicon {
  /** term (space-joined lemmas) → concept indexes */
  terms: Map<string, number[]>;
  /** every word that appears in a term: the lemmas lemmatisation may produce */
  known: Set<string>;
  /** every known word (and the special words) → what the scan needs of it, in one lookup */
  info: Map<string, WordInfo>;
}

/** A node of the term trie: the words so far name `concepts` (if any); `next` continues them. */
interface TermNode {
  concepts?: number[];
  next?: Map<string, TermNode>;
}

interface WordInfo {
  lemma: string;
  /** ends a clause ("but", "however", …) */
  clauseEnd: boolean;
  negator: boolean;
  /** the terms starting with this lemma (its trie node), or undefined */
  node: TermNode | undefined;
}

let lexicon: Lexicon | undefined;
function buildLexicon(): Lexicon {
  const terms = new Map<string, number[]>();
  const known = new Set<string>();
  const roots = new Map<string, TermNode>();
  const add = (term: string, concept: number): void => {
    const t = term.trim().replace(/\s+/g, ' ');
    if (t === '') return;
    const words = t.split(' ');
    if (words.length > 4) return;
    for (const w of words) known.add(w);
    let node = roots.get(words[0]);
    if (!node) roots.set(words[0], (node = {}));
    for (let k = 1; k < words.length; k++) {
      node.next ??= new Map();
      let child = node.next.get(words[k]);
      if (!child) node.next.set(words[k], (child = {}));
      node = child;
    }
    const cur = terms.get(t);
    if (!cur) terms.set(t, (node.concepts = [concept]));
    else if (!cur.includes(concept)) cur.push(concept);
  };
  CAUSE_CONCEPTS.forEach((c, i) => {
    for (const term of (LEXICON[c] ?? '').split('|')) add(term, i);
  });
  // WordNet words a hand-written concept does not already name (the aviation lexicon comes first)
  const handWritten = new Set(terms.keys());
  CAUSE_CONCEPTS.forEach((c, i) => {
    for (const w of (WORDNET_CONCEPT_WORDS[c] ?? '').split(' ')) {
      const term = w.replace(/_/g, ' ');
      if (!handWritten.has(term)) add(term, i);
    }
  });
  const info = new Map<string, WordInfo>();
  // frequent words that name nothing: one lookup instead of the suffix rules' several
  for (const w of INERT_WORDS) {
    if (!known.has(w)) info.set(w, { lemma: w, clauseEnd: false, negator: false, node: roots.get(w) });
  }
  const special = [...CLAUSE_END_WORDS, ...NEGATORS, ...NEGATED_CONTRACTIONS, ...Object.keys(IRREGULAR), ...Object.values(IRREGULAR)];
  for (const w of [...known, ...special]) {
    const lemma = IRREGULAR[w] ?? w;
    info.set(w, {
      lemma,
      clauseEnd: CLAUSE_END_WORDS.has(lemma),
      negator: NEGATORS.has(lemma) || NEGATED_CONTRACTIONS.has(lemma),
      node: roots.get(lemma),
    });
  }
  return { terms, known, info };
}

/** The lemma of a normalized word: the first candidate the lexicon knows, else the word itself. */
export function lemmatise(word: string, known: ReadonlySet<string>): string {
  const irr = IRREGULAR[word];
  if (irr !== undefined) return irr;
  if (known.has(word)) return word;
  const n = word.length;
  if (n <= 3) return word;
  const stem1 = word.slice(0, -1);
  const stem2 = word.slice(0, -2);
  const stem3 = word.slice(0, -3);
  const last = word.charCodeAt(n - 1);
  if (last === 0x73 /* s */) {
    if (n > 4 && word.endsWith('ies') && known.has(stem3 + 'y')) return stem3 + 'y';
    if (n > 4 && word.endsWith('ves')) {
      if (known.has(stem3 + 'f')) return stem3 + 'f';
      if (known.has(stem3 + 'fe')) return stem3 + 'fe';
    }
    if (word.endsWith('es') && known.has(stem2)) return stem2;
    if (!word.endsWith('ss') && known.has(stem1)) return stem1;
    return word;
  }
  if (last === 0x67 /* g */ && n > 5 && word.endsWith('ing')) {
    if (known.has(stem3)) return stem3;
    if (known.has(stem3 + 'e')) return stem3 + 'e';
    if (known.has(word.slice(0, -4))) return word.slice(0, -4);
    return word;
  }
  if (last === 0x64 /* d */ && n > 4 && word.endsWith('ed')) {
    if (word.endsWith('ied') && known.has(stem3 + 'y')) return stem3 + 'y';
    if (known.has(stem2)) return stem2;
    if (known.has(stem1)) return stem1;
    if (known.has(stem3)) return stem3;
    return word;
  }
  if (last === 0x72 /* r */ && n > 4 && word.endsWith('er')) {
    if (known.has(stem2)) return stem2;
    if (known.has(stem1)) return stem1;
    return word;
  }
  if (last === 0x79 /* y */ && n > 5 && word.endsWith('ly') && known.has(stem2)) return stem2;
  return word;
}

/** Words and clause marks of a text: words are [a-z0-9]+ runs; "," "." ";" ":" "!" "?" "(" ")" are kept as ".". */
export function causeTokens(text: string): string[] {
  // ASCII: NFKC/NFD are the identity and there are no combining marks, so one pass suffices
  const ascii = asciiTokens(text);
  if (ascii) return ascii;
  const norm = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/(?<![\p{L}\p{N}\p{M}'’`ʼ])a\/c(?![\p{L}\p{N}\p{M}'’`ʼ])/gu, ' aircraft ')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/['’`ʼ]/gu, '')
    .replace(/[.,;:!?()[\]{}]+/g, ' . ')
    .replace(/[^\p{L}\p{N}.]+/gu, ' ');
  const out: string[] = [];
  for (const t of norm.split(' ')) if (t !== '' && !(t === '.' && out[out.length - 1] === '.')) out.push(t);
  return out;
}

const isWordChar = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
const isMark = (c: number): boolean => c === 0x2e || c === 0x2c || c === 0x3b || c === 0x3a || c === 0x21 || c === 0x3f || c === 0x28 || c === 0x29 || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d;

/** causeTokens on an ASCII text in one pass (undefined otherwise); tested equal to the general path. */
function asciiTokens(text: string): string[] | undefined {
  const out: string[] = [];
  const lower = text.toLowerCase();
  let start = -1; // of the current run of [a-z0-9'`]
  let quote = false;
  let mark = false;
  for (let i = 0; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : 0x20;
    if (c >= 0x80) return undefined;
    if (c === 0x27 || c === 0x60 || isWordChar(c)) {
      if (start < 0) {
        // "a/c" (aircraft): the general path's \ba\/c\b after apostrophes are deleted
        if (c === 0x61 && lower.charCodeAt(i + 1) === 0x2f && lower.charCodeAt(i + 2) === 0x63 && !isWordChar(lower.charCodeAt(i + 3) | 0) && lower.charCodeAt(i + 3) !== 0x27 && lower.charCodeAt(i + 3) !== 0x60) {
          if (mark) out.push('.');
          mark = false;
          out.push('aircraft');
          i += 2;
          continue;
        }
        start = i;
        quote = false;
      }
      if (c === 0x27 || c === 0x60) quote = true;
      continue;
    }
    if (start >= 0) {
      let w = lower.slice(start, i);
      if (quote) w = w.replace(/['`]/g, '');
      if (w !== '') {
        if (mark) out.push('.');
        mark = false;
        out.push(w);
      }
      start = -1;
    }
    if (isMark(c)) mark = true;
  }
  if (mark) out.push('.');
  return out;
}

export interface CauseConceptMatch {
  term: string;
  concepts: string[];
  negated: boolean;
}

/** The terms found in a text with their concepts and negation (for tests and for explaining a reading). */
export function readCause(text: string): CauseConceptMatch[] {
  const { hits, lemmas } = scanCause(text);
  return hits.map((h) => ({ term: termOf(h, lemmas), concepts: h.concepts.map((c) => CAUSE_CONCEPTS[c]), negated: h.negated }));
}

/** A term found at lemmas[start, start + len): its concept indexes, negated or not. */
export interface CauseHit {
  start: number;
  len: number;
  concepts: readonly number[];
  negated: boolean;
}

/** The scan of one text: its lemmas ("." for clause marks) and the terms found in them. */
export interface CauseScan {
  lemmas: readonly string[];
  hits: readonly CauseHit[];
}

/** The term of a hit: its lemmas joined by spaces. */
export const termOf = (h: CauseHit, lemmas: readonly string[]): string => (h.len === 1 ? lemmas[h.start] : lemmas.slice(h.start, h.start + h.len).join(' '));

/**
 * What the lexicon says of each word seen outside it (`info` misses: inflected forms, words it
 * does not know), after lemmatisation: the known lemma's info, or null. A cache of the pure
 * function (word → lemmatise → info lookup), so a word is lemmatised once, not once per text;
 * cleared when it reaches WORD_CACHE_MAX words, so memory stays bounded on any input.
 */
const wordCache = new Map<string, WordInfo | null>();
const WORD_CACHE_MAX = 50_000;

/**
 * The last text scanned and its scan: the featurizer and, for a claimant verdict, the kind of
 * cause (flight-cause-kind.ts) read the same text of the same case one after the other, and the
 * second reading reuses the first. A scan is never changed after it is returned.
 */
let lastText: string | undefined;
let lastScan: CauseScan | undefined;

/** Scans a text (the reading of steps 1–4 above); the same text gives the same scan. */
export function scanCause(text: string): CauseScan {
  if (text === lastText && lastScan !== undefined) return lastScan;
  const scan = scanText(text);
  lastText = text;
  lastScan = scan;
  return scan;
}

function scanText(text: string): CauseScan {
  const lex = (lexicon ??= buildLexicon());
  const lemmas = causeTokens(text);
  const n = lemmas.length;
  const infos: (WordInfo | undefined)[] = new Array<WordInfo | undefined>(n);
  // the tokens become their lemmas in place
  for (let i = 0; i < n; i++) {
    const t = lemmas[i];
    let inf = lex.info.get(t);
    if (inf === undefined && t !== '.') {
      let cached = wordCache.get(t);
      if (cached === undefined) {
        const l = lemmatise(t, lex.known);
        cached = (l !== t ? lex.info.get(l) : undefined) ?? null;
        if (wordCache.size >= WORD_CACHE_MAX) wordCache.clear();
        wordCache.set(t, cached);
      }
      if (cached !== null) inf = cached;
    }
    infos[i] = inf;
    if (inf !== undefined) lemmas[i] = inf.lemma;
  }
  const hits: CauseHit[] = [];
  // Clauses end at "." and at clause-ending words (and at the end, i = n); a negator opens a scope
  // to the clause end. At each clause end, a negation that found no concept after it ("… suspected
  // but not confirmed", "weather was not the cause") negates its own clause's concepts, or if
  // there are none, the previous clause's.
  let negFrom = -1; // the negator's index in this clause, −1 none
  let negHits = 0; // concepts found in the current negation scope
  let clauseFrom = 0; // first hit of the current clause
  let prevFrom = 0; // first hit of the previous clause (it ends at clauseFrom)
  for (let i = 0; i <= n; ) {
    const w = i < n ? lemmas[i] : '.';
    const inf = i < n ? infos[i] : undefined;
    if (w === '.' || (inf !== undefined && inf.clauseEnd)) {
      if (negFrom >= 0 && negHits === 0) {
        const from = hits.length > clauseFrom ? clauseFrom : prevFrom;
        const to = hits.length > clauseFrom ? hits.length : clauseFrom;
        for (let h = from; h < to; h++) hits[h].negated = true;
      }
      prevFrom = clauseFrom;
      clauseFrom = hits.length;
      negFrom = -1;
      negHits = 0;
      i++;
      continue;
    }
    if (inf === undefined) {
      i++; // a word the lexicon does not know starts no term
      continue;
    }
    if (inf.negator) {
      // "not only", "no later than", "no longer" do not negate what follows
      const next = lemmas[i + 1];
      if (negFrom < 0 && !(w === 'not' && next === 'only') && !(w === 'no' && (next === 'later' || next === 'longer' || next === 'more' || next === 'sooner'))) negFrom = i;
    }
    // the longest term starting here: walk the trie over the following lemmas
    let node = inf.node;
    let len = 0;
    let cs: number[] | undefined;
    for (let k = 0; node !== undefined; ) {
      if (node.concepts !== undefined) {
        len = k + 1;
        cs = node.concepts;
      }
      k++;
      if (node.next === undefined || i + k >= n || lemmas[i + k] === '.') break;
      node = node.next.get(lemmas[i + k]);
    }
    if (cs !== undefined) {
      const negated = negFrom >= 0;
      hits.push({ start: i, len, concepts: cs, negated });
      if (negated) negHits++;
      i += len;
    } else i++;
  }
  return { lemmas, hits };
}

/** Counts are clamped to this (the declared input range of every concept column). */
export const CONCEPT_MAX_COUNT = 2;

/** Column names: `concept_<c>` for each concept, then `concept_not_<c>`. */
export const causeConceptFeatureNames = (): string[] => [...CAUSE_CONCEPTS.map((c) => `concept_${c}`), ...CAUSE_CONCEPTS.map((c) => `concept_not_${c}`)];

export const CAUSE_CONCEPT_DIMS = 2 * CAUSE_CONCEPTS.length;

/**
 * The concept counts of a text as sparse (column, count) pairs in column order, columns in
 * [0, CAUSE_CONCEPT_DIMS): concept i at i, negated concept i at CAUSE_CONCEPTS.length + i.
 */
export function causeConceptEntries(text: string): number[] {
  if (text.trim() === '') return [];
  const counts = new Uint8Array(CAUSE_CONCEPT_DIMS);
  const C = CAUSE_CONCEPTS.length;
  let lo = CAUSE_CONCEPT_DIMS;
  let hi = -1;
  for (const h of scanCause(text).hits) {
    for (const c of h.concepts) {
      const col = c + (h.negated ? C : 0);
      if (counts[col] < CONCEPT_MAX_COUNT) counts[col]++;
      if (col < lo) lo = col;
      if (col > hi) hi = col;
    }
  }
  const out: number[] = [];
  for (let c = lo; c <= hi; c++) if (counts[c] !== 0) out.push(c, counts[c]);
  return out;
}

/** Dense form (tests, training): one count per column. */
export function causeConceptVector(text: string): Int32Array {
  const v = new Int32Array(CAUSE_CONCEPT_DIMS);
  const e = causeConceptEntries(text);
  for (let j = 0; j < e.length; j += 2) v[e[j]] = e[j + 1];
  return v;
}
