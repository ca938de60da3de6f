// Decides what a file is from its bytes alone. The upload's filename and Content-Type are the
// sender's claim; an .exe named invoice.pdf must not pass as a PDF. Returns undefined for
// anything outside the allowlist.
//
// Magic bytes are not enough (issue 9): `%PDF-` or a PNG signature followed by a script, or HTML
// with a `%PDF-` line inside, would pass as a document and could be rendered as a page by a
// careless viewer. So each type's structure is checked too, with bounded reads of the stored
// file: a PDF starts with its header and ends with `startxref <offset> %%EOF`; a PNG is a chain
// of chunks from IHDR to IEND that ends exactly at the end of the file; a JPEG's segments parse
// up to the scan and it ends with EOI; text is valid UTF-8 without control characters and is
// not markup (HTML, SVG, script). Evidence is also served only as an attachment, with nosniff
// and a CSP that runs nothing (routes.ts).
import { closeSync, openSync, readSync } from 'node:fs';
import type { evidenceContentTypes } from './schemas.js';

export type EvidenceContentType = (typeof evidenceContentTypes)[number];

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const CHUNK = 64 * 1024;

/** Random access to the bytes being judged: a Buffer in memory or a file on disk. */
interface Bytes {
  size: number;
  read(position: number, length: number): Buffer;
}

function bufferBytes(buffer: Uint8Array): Bytes {
  const b = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return { size: b.length, read: (position, length) => b.subarray(position, Math.min(b.length, position + length)) };
}

function startsWith(head: Buffer, signature: number[]): boolean {
  return head.length >= signature.length && signature.every((b, i) => head[i] === b);
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/;
/** Markup a browser would render or run: an HTML document, an SVG, a script, a frame. */
const MARKUP = /<\s*(!doctype|html|body|script|svg|iframe|object|embed)\b|<\?xml|javascript:/i;
/** Text that opens with a tag (after white space and a byte-order mark) is a markup document. */
const OPENS_WITH_TAG = /^\ufeff?\s*</;
const SCRIPT = /<\s*(script|iframe|object|embed)\b|javascript:/i;

/** Valid UTF-8 all through, no control characters other than tab, CR, LF and form feed. */
function isPlainText(bytes: Bytes, refuse: RegExp): boolean {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let carry = '';
  try {
    for (let at = 0; at < bytes.size; at += CHUNK) {
      const text = decoder.decode(bytes.read(at, CHUNK), { stream: at + CHUNK < bytes.size });
      // Keep a little of the previous chunk so a pattern split across two chunks is still seen.
      const window = carry + text;
      if (CONTROL.test(text) || refuse.test(window)) return false;
      carry = window.slice(-64);
    }
    decoder.decode();
  } catch {
    return false;
  }
  return true;
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

/** `%PDF-1.x` at the start; `startxref`, an offset and `%%EOF` at the end (ISO 32000 §7.5.5). */
function isPdf(bytes: Bytes, head: Buffer): boolean {
  if (!/^%PDF-(1\.[0-7]|2\.0)[\r\n \t%]/.test(head.subarray(0, 16).toString('latin1'))) return false;
  const tail = bytes.read(Math.max(0, bytes.size - 1024), 1024).toString('latin1');
  return /startxref[\r\n \t]+[0-9]+[\r\n \t]+%%EOF[\r\n \t\0]*$/.test(tail);
}

/** Chunks from IHDR to IEND, each length + type + data + CRC, ending exactly at the end of the file. */
function isPng(bytes: Bytes): boolean {
  let at = 8;
  let first = true;
  while (at + 12 <= bytes.size) {
    const header = bytes.read(at, 8);
    const length = header.readUInt32BE(0);
    const type = header.toString('latin1', 4, 8);
    if (length > 0x7fffffff || !/^[A-Za-z]{4}$/.test(type)) return false;
    if (first && (type !== 'IHDR' || length !== 13)) return false;
    first = false;
    at += 12 + length;
    if (type === 'IEND') return length === 0 && at === bytes.size;
  }
  return false;
}

/** SOI, then marker segments up to the start of scan, and EOI among the last bytes. */
function isJpeg(bytes: Bytes): boolean {
  let at = 2;
  for (let segments = 0; segments < 512; segments++) {
    const m = bytes.read(at, 4);
    if (m.length < 4 || m[0] !== 0xff) return false;
    const marker = m[1];
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0x00 || marker === 0xd8 || marker === 0xd9) return false;
    if (marker >= 0xd0 && marker <= 0xd7) return false; // restart markers only inside the scan
    const length = m.readUInt16BE(2);
    if (length < 2) return false;
    if (marker === 0xda) {
      const tail = bytes.read(Math.max(at, bytes.size - 1024), 1024);
      return tail.includes(Buffer.from([0xff, 0xd9]));
    }
    at += 2 + length;
  }
  return false;
}

function sniff(bytes: Bytes): EvidenceContentType | undefined {
  if (bytes.size === 0) return undefined;
  const head = bytes.read(0, 1024);
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return isPdf(bytes, head) ? 'application/pdf' : undefined;
  if (startsWith(head, PNG)) return isPng(bytes) ? 'image/png' : undefined;
  if (startsWith(head, [0xff, 0xd8, 0xff])) return isJpeg(bytes) ? 'image/jpeg' : undefined;
  const start = bytes.read(0, 64 * 1024);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(start, { stream: true });
  } catch {
    return undefined;
  }
  // An email may carry an HTML part (it is served as an attachment, never rendered); never a script.
  if (isEmail(text)) return isPlainText(bytes, SCRIPT) ? 'message/rfc822' : undefined;
  if (OPENS_WITH_TAG.test(text)) return undefined;
  return isPlainText(bytes, MARKUP) ? 'text/plain' : undefined;
}

/** The type of bytes held in memory. */
export function sniffContentType(bytes: Uint8Array): EvidenceContentType | undefined {
  return sniff(bufferBytes(bytes));
}

/** The type of a file on disk of `size` bytes, read in bounded pieces. */
export function sniffFile(path: string, size: number): EvidenceContentType | undefined {
  const fd = openSync(path, 'r');
  try {
    return sniff({
      size,
      read(position, length) {
        const n = Math.max(0, Math.min(length, size - position));
        const buffer = Buffer.alloc(n);
        let done = 0;
        while (done < n) {
          const got = readSync(fd, buffer, done, n - done, position + done);
          if (got === 0) break;
          done += got;
        }
        return buffer.subarray(0, done);
      },
    });
  } finally {
    closeSync(fd);
  }
}
