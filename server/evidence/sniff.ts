// Decides what a file is from its bytes alone. The upload's filename and Content-Type are the
// sender's claim; an .exe named invoice.pdf must not pass as a PDF. Returns undefined for
// anything outside the allowlist.
import type { evidenceContentTypes } from './schemas.js';

export type EvidenceContentType = (typeof evidenceContentTypes)[number];

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, signature: number[], at = 0): boolean {
  if (bytes.length < at + signature.length) return false;
  return signature.every((b, i) => bytes[at + i] === b);
}

/** Valid UTF-8 with no control characters other than tab, CR, LF and form feed. */
function isPlainText(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text);
}

// RFC 5322 header field: printable name without colon or space, then a colon.
const HEADER_LINE = /^[!-9;-~]+:[ \t]?.*$/;
const MAIL_HEADERS = /^(from|to|subject|date|message-id|received|return-path|mime-version|delivered-to|reply-to|cc):/i;

/** An email: text that opens with a block of header fields, including at least one mail header. */
function isEmail(text: string): boolean {
  const head = text.slice(0, 64 * 1024).split(/\r?\n/);
  let sawMailHeader = false;
  let headerLines = 0;
  for (const line of head) {
    if (line === '') break; // end of the header block
    if (/^[ \t]/.test(line) && headerLines > 0) continue; // folded continuation
    if (!HEADER_LINE.test(line)) return false;
    headerLines++;
    if (MAIL_HEADERS.test(line)) sawMailHeader = true;
  }
  return headerLines >= 2 && sawMailHeader;
}

export function sniffContentType(bytes: Uint8Array): EvidenceContentType | undefined {
  if (bytes.length === 0) return undefined;
  // %PDF- (a few writers put junk before it; the spec allows it within the first 1024 bytes)
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (head.startsWith('%PDF-') || (head.indexOf('%PDF-') > 0 && isPlainText(bytes.subarray(0, head.indexOf('%PDF-'))))) {
    return 'application/pdf';
  }
  if (startsWith(bytes, PNG)) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (!isPlainText(bytes)) return undefined;
  return isEmail(Buffer.from(bytes).toString('utf8')) ? 'message/rfc822' : 'text/plain';
}
