import { LakeStage } from './lake-stage';
import { StageBuffers } from './lake-stage-buffers';
import { csvLine, CsvRow } from './lake-row';

const line = (offset: number, eventTimeMs: number, text: string | null) => `${csvLine([eventTimeMs, false, text, '', null, null, null, null, null, 'p', 0, offset])}\n`;
const row = (partitionDir: string, offset: number, eventTimeMs: number, text: string | null) =>
  new CsvRow('dead_letters', partitionDir, eventTimeMs, offset, line(offset, eventTimeMs, text).slice(0, -1));

describe('LakeStage', () => {
  it('groups rows by file, in their order, with each file\'s span, times and CSV text', () => {
    const stage = new LakeStage();
    stage.add(row('date=2025-03-04', 10, 300, 'a'));
    stage.add(row('date=2025-03-05', 11, 900, 'say "hi", twice'));
    stage.add(row('date=2025-03-04', 12, 100, null));
    stage.add(row('date=2025-03-04', 13, 200, ''));
    expect(stage.rows).toBe(4);
    const files = stage.files();
    expect(files.map((file) => [file.partitionDir, file.rows, file.firstOffset, file.lastOffset, file.minEventTimeMs, file.maxEventTimeMs])).toEqual([
      ['date=2025-03-04', 3, 10, 13, 100, 300],
      ['date=2025-03-05', 1, 11, 11, 900, 900],
    ]);
    expect(Buffer.concat(files[0].csv()).toString()).toBe('300,false,a,"",,,,,,p,0,10\n100,false,,"",,,,,,p,0,12\n200,false,"","",,,,,,p,0,13\n');
    expect(Buffer.concat(files[1].csv()).toString()).toBe('900,false,"say ""hi"", twice","",,,,,,p,0,11\n');
    expect(files[0].longestLine).toBe('200,false,"","",,,,,,p,0,13\n'.length);
  });

  it('keeps every byte of a file written across many Buffers, multi-byte characters and a line longer than any Buffer among them', () => {
    const stage = new LakeStage();
    const texts = Array.from({ length: 3_000 }, (_, i) => (i === 1_500 ? 'é'.repeat(2_000_000) : `row ${i} ünïcödé € 😀 "quoted", ${'x'.repeat(i % 700)}`));
    texts.forEach((text, i) => stage.add(row('date=2025-03-04', i, i, text)));
    const [file] = stage.files();
    expect(Buffer.concat(file.csv()).toString()).toBe(texts.map((text, i) => line(i, i, text)).join(''));
    expect(file.longestLine).toBe(Buffer.byteLength(line(1_500, 1_500, texts[1_500])));
  });

  it('gives every file\'s Buffers back on release and starts empty, the next stage written into them', () => {
    const pool = new StageBuffers();
    const stage = new LakeStage(pool);
    for (let i = 0; i < 20_000; i++) stage.add(row(`date=2025-03-0${1 + (i % 3)}`, i, i, `text ${i}`));
    const held = stage.files().flatMap((file) => file.csv()).map((buffer) => buffer.buffer);
    stage.release();
    expect(stage.rows).toBe(0);
    expect(stage.files()).toEqual([]);
    expect(pool.freeBytes).toBe(held.reduce((sum, buffer) => sum + buffer.byteLength, 0));
    stage.add(row('date=2025-03-04', 20_000, 5, 'again'));
    const [file] = stage.files();
    expect([file.rows, file.firstOffset, file.lastOffset, file.minEventTimeMs, file.maxEventTimeMs]).toEqual([1, 20_000, 20_000, 5, 5]);
    expect(Buffer.concat(file.csv()).toString()).toBe(line(20_000, 5, 'again'));
    expect(held).toContain(file.csv()[0].buffer);
  });
});
