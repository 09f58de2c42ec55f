import { describe, it, expect, afterEach } from '@jest/globals';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { LockerError, type DocumentInput, type VerifyReport } from './index.js';
import { attackerConnection, createTestLocker, objectCount, rowCount, type TestLocker } from './test-locker.js';

let test: TestLocker | undefined;
afterEach(async () => {
  await test?.cleanup();
  test = undefined;
});

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n');

function input(fileName: string, bytes: Buffer, extra: Partial<DocumentInput> = {}): DocumentInput {
  return { request: 'risk-assessment', fileName, bytes, addedBy: 'ada@example.com', effective: '2025-02-20', subject: null, note: null, supersedes: null, ...extra };
}

const problemsOf = (report: VerifyReport) => report.problems.map((problem) => `${problem.code}: ${problem.message}`);
const objectPath = (dir: string, hash: string) => join(dir, 'objects', hash.slice(0, 2), hash.slice(2));

describe('document evidence', () => {
  it('stores each file and a signed, chained entry, and verify accounts for both', async () => {
    test = await createTestLocker();
    const before = objectCount(test.dir);
    const added = await test.locker.addDocuments([input('assessment.pdf', PDF), input('register.csv', Buffer.from('risk,owner\nloss,ada\n'))]);
    expect(added.map(({ sequence, type, size, supersededBy }) => ({ sequence, type, size, supersededBy }))).toEqual([
      { sequence: 1, type: 'pdf', size: PDF.length, supersededBy: null },
      { sequence: 2, type: 'csv', size: 20, supersededBy: null },
    ]);
    expect(added[0]!.addedAt).toBe('2025-03-01T09:00:00.000Z');
    expect(objectCount(test.dir) - before).toBe(4);
    expect(await test.locker.readObject(added[0]!.content)).toEqual(PDF);
    const report = await test.locker.verify();
    expect(problemsOf(report)).toEqual([]);
    // Nothing was collected, so the only note says so: every object is accounted for.
    expect(report.notes).toEqual(['the locker holds no manifest: no run has been committed to it yet']);
    expect(report.counts.documents).toBe(2);
  });

  it('keeps a superseded entry and marks it, and refuses to supersede it twice or across requests', async () => {
    test = await createTestLocker();
    await test.locker.addDocuments([input('v1.pdf', PDF)]);
    const [correction] = await test.locker.addDocuments([input('v2.pdf', Buffer.concat([PDF, Buffer.from('%v2\n')]), { supersedes: 1 })]);
    expect(correction!.supersedes).toBe(1);
    expect((await test.locker.documents()).map(({ sequence, supersededBy }) => [sequence, supersededBy])).toEqual([
      [1, 2],
      [2, null],
    ]);
    await expect(test.locker.addDocuments([input('v3.pdf', PDF, { supersedes: 1 })])).rejects.toThrow('document 1 is already superseded by document 2');
    await expect(test.locker.addDocuments([input('v3.pdf', PDF, { request: 'vendor-review', supersedes: 2 })])).rejects.toThrow('document 2 belongs to request risk-assessment, not vendor-review');
    await expect(test.locker.addDocuments([input('v3.pdf', PDF, { supersedes: 9 })])).rejects.toThrow('document 9 does not exist');
    expect(problemsOf(await test.locker.verify())).toEqual([]);
  });

  it('refuses a batch with one file of an unknown type, storing nothing', async () => {
    test = await createTestLocker();
    const before = objectCount(test.dir);
    const elf = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]);
    await expect(test.locker.addDocuments([input('ok.pdf', PDF), input('tool.pdf', elf)])).rejects.toThrow(LockerError);
    await expect(test.locker.addDocuments([input('tool.pdf', elf)])).rejects.toThrow('tool.pdf: not a PDF');
    expect(objectCount(test.dir)).toBe(before);
    expect(rowCount(test.dir, 'document_entries')).toBe(0);
  });

  it('refuses a file with nothing in it (no bytes, only white space, only a byte order mark), naming it and storing nothing', async () => {
    test = await createTestLocker();
    const before = objectCount(test.dir);
    for (const bytes of [Buffer.alloc(0), Buffer.from('\n'), Buffer.from(' \r\n\t\n'), Buffer.from('\ufeff\n')]) {
      await expect(test.locker.addDocuments([input('ok.pdf', PDF), input('policy.txt', bytes)])).rejects.toThrow('policy.txt: the file is empty (no bytes, or only white space): it shows nothing; refused');
    }
    expect(objectCount(test.dir)).toBe(before);
    expect(rowCount(test.dir, 'document_entries')).toBe(0);
  });

  it('refuses the same file again for the same request, day and subject (a command run twice, a file named twice), storing nothing', async () => {
    test = await createTestLocker();
    await test.locker.addDocuments([input('policy.pdf', PDF)]);
    await expect(test.locker.addDocuments([input('policy-copy.pdf', PDF)])).rejects.toThrow(
      'policy-copy.pdf: the same file for the same request, effective day and subject as document 1 (policy.pdf); refused, nothing stored',
    );
    const other = Buffer.concat([PDF, Buffer.from('%other\n')]);
    await expect(test.locker.addDocuments([input('a.pdf', other), input('b.pdf', other)])).rejects.toThrow('b.pdf: the same file for the same request, effective day and subject as a.pdf in this batch; refused, nothing stored');
    expect(rowCount(test.dir, 'document_entries')).toBe(1);
    // Another day, another subject or another request is another document, and so is a correction's file once superseded.
    await test.locker.addDocuments([input('policy.pdf', PDF, { effective: '2025-02-21' }), input('policy.pdf', PDF, { subject: 'ada@example.com' }), input('policy.pdf', PDF, { request: 'vendor-review' })]);
    await test.locker.addDocuments([input('v2.pdf', other, { supersedes: 1 })]);
    await test.locker.addDocuments([input('v1-again.pdf', PDF, { supersedes: 5 })]);
    // A correction of the note alone: the same file, superseding the entry it repeats.
    await test.locker.addDocuments([input('v1-again.pdf', PDF, { supersedes: 6, note: 'approved by the board' })]);
    expect(rowCount(test.dir, 'document_entries')).toBe(7);
  });

  it('names an altered file, an edited row and a removed entry', async () => {
    test = await createTestLocker();
    const [first, second, third] = await test.locker.addDocuments([input('a.pdf', PDF), input('b.txt', Buffer.from('minutes\n')), input('c.txt', Buffer.from('roster\n'))]);
    const path = objectPath(test.dir, first!.content);
    chmodSync(path, 0o644);
    writeFileSync(path, gzipSync(Buffer.from('%PDF-1.7 forged\n')));
    const db = attackerConnection(test.dir);
    db.prepare("UPDATE document_entries SET effective = '2025-01-01' WHERE sequence = 3").run();
    db.prepare('DELETE FROM document_entries WHERE sequence = 2').run();
    db.close();
    const problems = problemsOf(await test.locker.verify());
    const third_ = 'document 3 ("c.txt" for request risk-assessment)';
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^object-altered: object ${first!.content} \\(document 1 \\("a.pdf" for request risk-assessment\\), its file\\)`)),
        `document-altered: ${third_}: effective in the document_entries table differ from its entry ${third!.hash}`,
        `document-altered: document entry 2 is missing: the chain goes from document 1 to ${third_}`,
        `chain-broken: ${third_} links to previous entry ${second!.hash}, but document 1 has hash ${first!.hash}`,
      ]),
    );
  });
});

describe('document entry fields', () => {
  it('refuses an empty adder, subject or file name with the field named, storing nothing', async () => {
    test = await createTestLocker();
    await expect(test.locker.addDocuments([input('a.pdf', PDF, { addedBy: '' })])).rejects.toThrow('a.pdf: addedBy: ');
    await expect(test.locker.addDocuments([input('a.pdf', PDF, { subject: '' })])).rejects.toThrow('a.pdf: subject: ');
    await expect(test.locker.addDocuments([input('', PDF)])).rejects.toThrow('(no name): fileName: ');
    expect(rowCount(test.dir, 'document_entries')).toBe(0);
  });
});
