// Local airport times ↔ instants with an offset. A claimant types the time the airport's clocks
// showed; the record needs ISO 8601 with the UTC offset in force there on that day (CASES.md).

function offsetAt(zone: string, utcMs: number): number {
  const parts: Record<string, string> = {};
  for (const p of new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs))) {
    parts[p.type] = p.value;
  }
  const asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** `2026-03-01T10:00` at `Europe/Berlin` → `2026-03-01T10:00:00+01:00`; undefined when malformed. */
export function localToIso(local: string, zone: string): string | undefined {
  const m = LOCAL.exec(local);
  if (!m) return undefined;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  try {
    // The offset at the instant the wall time names: guess with the wall time, then correct once.
    const first = offsetAt(zone, wall);
    const offset = offsetAt(zone, wall - first * 60_000);
    return `${local}:00${formatOffset(offset)}`;
  } catch {
    return undefined;
  }
}

/** `UTC+01:00` for the zone at that local time (or today when the time is not given yet). */
export function zoneOffsetLabel(zone: string, local?: string): string {
  const iso = local ? localToIso(local, zone) : undefined;
  const offset = iso ? iso.slice(-6) : formatOffset(offsetAt(zone, Date.now()));
  return `UTC${offset}`;
}
