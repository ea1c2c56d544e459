import { StageBuffers } from './lake-stage-buffers';

describe('StageBuffers', () => {
  it('hands a given Buffer back for the next take of its size, and a new one for any other size', () => {
    const pool = new StageBuffers();
    const first = pool.take(8_192);
    pool.give([first]);
    expect(pool.freeBytes).toBe(8_192);
    expect(pool.take(4_096)).not.toBe(first);
    expect(pool.take(8_192)).toBe(first);
    expect(pool.freeBytes).toBe(0);
    expect(pool.take(8_192)).not.toBe(first);
  });

  it('keeps only powers of two, and no more than its limit in all', () => {
    const pool = new StageBuffers(16_384);
    const odd = pool.take(5_000);
    const kept = [pool.take(8_192), pool.take(4_096)];
    const beyond = pool.take(8_192);
    pool.give([odd, ...kept, beyond]);
    expect(pool.freeBytes).toBe(12_288);
    expect(pool.take(5_000)).not.toBe(odd);
    expect(pool.take(8_192)).toBe(kept[0]);
    expect(pool.take(8_192)).not.toBe(beyond);
  });
});
