import { ResponseBuffers } from './response-buffers';

describe('ResponseBuffers', () => {
  it('gives a buffer back to the next answer that fits in it, whichever view of it comes back', () => {
    const buffers = new ResponseBuffers();
    const first = buffers.take(1_000);
    expect(first.length).toBeGreaterThanOrEqual(512 * 1024);
    buffers.give(first.subarray(0, 10));
    expect(buffers.idle).toBe(1);
    const again = buffers.take(400_000);
    expect(again.buffer).toBe(first.buffer);
    expect(again.length).toBe(first.length);
    expect(buffers.idle).toBe(0);
  });

  it('allocates when every idle buffer is too small or none is idle, never from the shared pool', () => {
    const buffers = new ResponseBuffers();
    const small = buffers.take(10);
    expect(small.byteOffset).toBe(0);
    expect(small.buffer.byteLength).toBe(small.length);
    buffers.give(small);
    const large = buffers.take(small.length + 1);
    expect(large.buffer).not.toBe(small.buffer);
    expect(large.length).toBe(small.length + 1);
    expect(buffers.idle).toBe(1);
  });

  it('keeps at most 16 idle buffers', () => {
    const buffers = new ResponseBuffers();
    const taken = Array.from({ length: 20 }, () => buffers.take(1));
    for (const buffer of taken) buffers.give(buffer);
    expect(buffers.idle).toBe(16);
  });
});
