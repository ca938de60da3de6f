import { describe, expect, it } from 'vitest';
import { sniffContentType } from '../../../server/evidence/sniff.js';

const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n');
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]);
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
});
