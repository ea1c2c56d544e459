import fc from 'fast-check';
import { LineBuffer } from './lake-line-buffer';
import { StageBuffers } from './lake-stage-buffers';

const textOf = (out: LineBuffer) => Buffer.concat(out.buffers()).toString();

describe('LineBuffer', () => {
  it('writes every safe integer as String(n) does, at the edges of 32 bits, of powers of ten and near 2^53', () => {
    const edges = [0, 1, -1, 9, 10, 99_999_999, 100_000_000, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 1_741_046_404_349, 999_999_999_999_999, 1e15, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
    const out = new LineBuffer();
    for (const n of edges) {
      out.integer(n);
      out.endLine();
    }
    expect(textOf(out)).toBe(edges.map((n) => `${String(n)}\n`).join(''));
    fc.assert(fc.property(fc.maxSafeInteger(), (n) => {
      const one = new LineBuffer();
      one.integer(n);
      return textOf(one) === String(n);
    }), { numRuns: 20_000 });
    expect(() => new LineBuffer().integer(2 ** 53)).toThrow('9007199254740992 is not a safe integer');
    expect(() => new LineBuffer().integer(0.5)).toThrow('0.5 is not a safe integer');
  });

  it('keeps fields, commas and lines in order across Buffers, plain text with a non-ASCII character as UTF-8, and the longest line in bytes', () => {
    const out = new LineBuffer();
    const lines: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      const plain = i % 1_000 === 7 ? `prix ${i} €` : `${i}.5`;
      out.integer(i * 1_000_003);
      out.comma();
      out.plain(plain);
      out.comma();
      out.text(i === 30_000 ? 'ü'.repeat(600_000) : 'é');
      out.endLine();
      lines.push(`${i * 1_000_003},${plain},${i === 30_000 ? 'ü'.repeat(600_000) : 'é'}\n`);
    }
    expect(out.buffers().length).toBeGreaterThan(2);
    expect(textOf(out)).toBe(lines.join(''));
    expect(out.longestLine).toBe(Buffer.byteLength(lines[30_000]));
  });

  it('gives its Buffers back on release, and a buffer written into them again holds only its own text', () => {
    const pool = new StageBuffers();
    const write = (out: LineBuffer, lines: number, text: string) => {
      for (let i = 0; i < lines; i++) {
        out.integer(i);
        out.comma();
        out.plain(text);
        out.endLine();
      }
    };
    const first = new LineBuffer(pool);
    write(first, 40_000, 'long text to fill several buffers');
    const used = first.buffers().map((buffer) => buffer.buffer);
    first.release();
    expect(pool.freeBytes).toBeGreaterThanOrEqual(used.reduce((sum, buffer) => sum + buffer.byteLength, 0));
    expect(first.buffers()).toEqual([]);
    const second = new LineBuffer(pool);
    write(second, 3_000, 'x');
    expect(textOf(second)).toBe(Array.from({ length: 3_000 }, (_, i) => `${i},x\n`).join(''));
    expect(second.buffers().every((buffer) => used.includes(buffer.buffer))).toBe(true);
    expect(second.longestLine).toBe('2999,x\n'.length);
  });
});
