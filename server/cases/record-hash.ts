// The case's record hash: keccak256 over the RFC 8785 (JCS) canonical JSON of the hashed document.
//
// The hashed document is the filed record itself, plus, once evidence is attached, one extra
// top-level member `evidenceSha256`: the lowercase hex sha256 digests of the case's evidence
// files, sorted ascending, without duplicates. The record schema is closed
// (additionalProperties: false), so that member can never collide with a record field. With no
// evidence the document is exactly the record, so at filing
//   recordHash = keccak256(utf8(JCS(record))).
// The hash is recomputed on every upload while the case is `filed`; after that it is fixed.
import { canonicalize } from 'json-canonicalize';
// The WASM keccak of the inference core: same digest as ethers' keccak256, ~20x faster, and
// filing hashes every record on the request path.
import { keccak256 } from '../inference/keccak.js';


export function hashedDocument(record: object, evidenceSha256: readonly string[] = []): object {
  if (evidenceSha256.length === 0) return record;
  const sorted = [...new Set(evidenceSha256)].sort();
  return { ...record, evidenceSha256: sorted };
}

export function canonicalRecordJson(record: object, evidenceSha256: readonly string[] = []): string {
  return canonicalize(hashedDocument(record, evidenceSha256));
}

/** keccak256 of an already canonical JSON text: `0x` + 64 lowercase hex digits. */
export function hashCanonicalJson(canonicalJson: string): string {
  return `0x${Buffer.from(keccak256(Buffer.from(canonicalJson, 'utf8'))).toString('hex')}`;
}

/** `0x` + 64 lowercase hex digits. */
export function recordHash(record: object, evidenceSha256: readonly string[] = []): string {
  return hashCanonicalJson(canonicalRecordJson(record, evidenceSha256));
}
