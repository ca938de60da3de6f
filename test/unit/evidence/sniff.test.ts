import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sniffContentType, sniffFile } from '../../../server/evidence/sniff.js';
import { jpegFile, pdfFile, pngFile } from '../../support/evidence-files.js';

const pdf = pdfFile();
const png = pngFile();
const jpeg = jpegFile();
const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from([0x80, 0, 0, 0]), Buffer.from('This program cannot be run in DOS mode')]);
const eml = Buffer.from('From: Example Air <noreply@example.com>\r\nTo: a@example.org\r\nSubject: Your flight LH400 is delayed\r\nDate: Sun, 1 Mar 2026 10:00:00 +0100\r\n\r\nDear passenger,\r\n');

describe('evidence content sniffing', () => {
  it.each([
    ['a PDF', pdf, 'application/pdf'],
    ['a PNG', png, 'image/png'],
    ['a JPEG', jpeg, 'image/jpeg'],
    ['an email with headers', eml, 'message/rfc822'],
    ['UTF-8 text', Buffer.from('Boarding was refused at gate B12 — no reason given.\n'), 'text/plain'],
  ])('recognises %s from its bytes', (_name, bytes, type) => {
    expect(sniffContentType(bytes)).toBe(type);
  });

  it('rejects a Windows executable whatever it is called', () => {
    expect(sniffContentType(exe)).toBeUndefined();
  });

  it('rejects binary data, an ELF file, a zip and an empty file', () => {
    expect(sniffContentType(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]))).toBeUndefined();
    expect(sniffContentType(Buffer.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0]))).toBeUndefined();
    expect(sniffContentType(Buffer.from([0, 1, 2, 3, 250, 251]))).toBeUndefined();
    expect(sniffContentType(Buffer.alloc(0))).toBeUndefined();
  });

  it('treats text that merely contains a colon as plain text, not email', () => {
    expect(sniffContentType(Buffer.from('Note: the flight was late.\nThanks\n'))).toBe('text/plain');
  });

  it('rejects text that is not valid UTF-8', () => {
    expect(sniffContentType(Buffer.from([0x68, 0x69, 0xc3, 0x28]))).toBeUndefined();
  });

  // Issue 9, Low: the magic bytes followed by something else are not that type.
  it.each([
    ['%PDF- followed by a script', Buffer.from('%PDF-1.4\n<script>alert(document.cookie)</script>\n')],
    ['%PDF- with a script and a fake %%EOF', Buffer.from('%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n')],
    ['HTML reaching %PDF- within the first kilobyte', Buffer.from(`<html><body><script>alert(1)</script>${' '.repeat(200)}%PDF-1.4\nstartxref\n0\n%%EOF\n`)],
    ['an SVG with a script', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
    ['an HTML page', Buffer.from('<!DOCTYPE html><html><body>Your refund</body></html>')],
    ['text with an inline script', Buffer.from('Refund details below.\n<script src="https://evil.example/x.js"></script>\n')],
    ['a PNG signature followed by a script', Buffer.concat([pngFile().subarray(0, 8), Buffer.from('<script>alert(1)</script>')])],
    ['a PNG with bytes after IEND', Buffer.concat([pngFile(), Buffer.from('<script>alert(1)</script>')])],
    ['a JPEG signature followed by a script', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from('<script>alert(1)</script>'), Buffer.from([0xff, 0xd9])])],
    ['an email carrying a script', Buffer.concat([eml, Buffer.from('<script>alert(1)</script>\r\n')])],
  ])('rejects %s', (_name, bytes) => {
    expect(sniffContentType(bytes)).toBeUndefined();
  });

  it('judges a file on disk the same way, in bounded reads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arbiter-sniff-'));
    try {
      const big = Buffer.concat([Buffer.from('A'.repeat(200_000)), Buffer.from('\n<script>x</script>\n')]);
      for (const [bytes, type] of [[pdf, 'application/pdf'], [png, 'image/png'], [jpeg, 'image/jpeg'], [eml, 'message/rfc822'], [big, undefined]] as const) {
        const path = join(dir, 'f');
        writeFileSync(path, bytes);
        expect(sniffFile(path, bytes.length)).toBe(type);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
