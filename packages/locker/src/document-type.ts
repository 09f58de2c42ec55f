/**
 * The type of a document, told by its bytes, never by its name: a file named
 * `policy.pdf` that is really a script is refused, not stored as a PDF. Only
 * kinds an auditor opens in a viewer are accepted (PDF, PNG, JPEG, office
 * documents, CSV, plain text); evidentia itself never opens, runs or renders
 * them.
 */
export type DocumentType = 'pdf' | 'png' | 'jpeg' | 'docx' | 'xlsx' | 'pptx' | 'csv' | 'text';

export const MEDIA_TYPES: Record<DocumentType, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  csv: 'text/csv',
  text: 'text/plain',
};

const startsWith = (bytes: Buffer, magic: number[]): boolean => magic.every((byte, index) => bytes[index] === byte);

/** An Office Open XML package is a zip whose entries name its part folders (word/, xl/, ppt/) next to [Content_Types].xml. */
function officeType(bytes: Buffer): DocumentType | null {
  if (!startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || !bytes.includes('[Content_Types].xml')) return null;
  if (bytes.includes('word/')) return 'docx';
  if (bytes.includes('xl/')) return 'xlsx';
  if (bytes.includes('ppt/')) return 'pptx';
  return null;
}

/** UTF-8 text without control characters other than tab, line feed, carriage return and form feed. */
function isText(bytes: Buffer): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text);
}

/** Two or more lines that split into the same number (at least two) of comma or semicolon separated fields. */
function isCsv(bytes: Buffer): boolean {
  const lines = bytes.toString('utf8').split(/\r?\n/).filter((line) => line.length > 0).slice(0, 20);
  if (lines.length < 2) return false;
  return [',', ';'].some((separator) => {
    const counts = new Set(lines.map((line) => line.split(separator).length));
    return counts.size === 1 && [...counts][0]! >= 2;
  });
}

/** The document's type, or null when it is none evidentia accepts. */
export function detectDocumentType(bytes: Buffer): DocumentType | null {
  if (bytes.length === 0) return null;
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  const office = officeType(bytes);
  if (office) return office;
  if (!isText(bytes)) return null;
  return isCsv(bytes) ? 'csv' : 'text';
}
