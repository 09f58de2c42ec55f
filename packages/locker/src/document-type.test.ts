import { describe, it, expect } from '@jest/globals';
import { detectDocumentType } from './document-type.js';

const zipWith = (...names: string[]) => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(names.join('\0'))]);

describe('detectDocumentType', () => {
  it('tells each accepted kind by its bytes', () => {
    expect(detectDocumentType(Buffer.from('%PDF-1.4\n'))).toBe('pdf');
    expect(detectDocumentType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('png');
    expect(detectDocumentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(detectDocumentType(zipWith('[Content_Types].xml', 'word/document.xml'))).toBe('docx');
    expect(detectDocumentType(zipWith('[Content_Types].xml', 'xl/workbook.xml'))).toBe('xlsx');
    expect(detectDocumentType(zipWith('[Content_Types].xml', 'ppt/presentation.xml'))).toBe('pptx');
    expect(detectDocumentType(Buffer.from('name;date\nada;2026-01-02\n'))).toBe('csv');
    expect(detectDocumentType(Buffer.from('Board minutes, 2 March\nAttendees: all\nNo quorum issues.\n'))).toBe('text');
  });

  it('refuses what a viewer should not open: executables, scripts with control bytes, other zips, empty files', () => {
    expect(detectDocumentType(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))).toBeNull();
    expect(detectDocumentType(Buffer.from('MZ\u0090\u0000\u0003'))).toBeNull();
    expect(detectDocumentType(zipWith('payload.exe'))).toBeNull();
    expect(detectDocumentType(Buffer.from('echo hi\u001b[2J\n'))).toBeNull();
    expect(detectDocumentType(Buffer.from([0xc3, 0x28]))).toBeNull();
    expect(detectDocumentType(Buffer.alloc(0))).toBeNull();
  });
});
