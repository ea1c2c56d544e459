import { isRefusal, StreamSlot, StreamSlots } from './stream-slots';

describe('StreamSlots', () => {
  it('admits a client up to its cap, then says 429 about it while others still get in', () => {
    const slots = new StreamSlots(10, 2);
    const taken = [slots.take('a'), slots.take('a')];
    expect(taken.some(isRefusal)).toBe(false);
    expect(slots.take('a')).toMatchObject({ status: 429, reason: 'streams_per_client' });
    expect(isRefusal(slots.take('b'))).toBe(false);
    expect(slots.open).toBe(3);
  });

  it('says 503 to a newcomer when the instance is full, 429 still to a client at its own cap', () => {
    const slots = new StreamSlots(3, 2);
    slots.take('a');
    slots.take('a');
    slots.take('b');
    expect(slots.take('c')).toMatchObject({ status: 503, reason: 'streams_instance' });
    expect(slots.take('a')).toMatchObject({ status: 429 });
  });

  it('gives a slot back once however often it is released', () => {
    const slots = new StreamSlots(2, 2);
    const first = slots.take('a') as StreamSlot;
    slots.take('a');
    first.release();
    first.release();
    expect(slots.open).toBe(1);
    expect(isRefusal(slots.take('a'))).toBe(false);
    expect(slots.take('a')).toMatchObject({ status: 429 });
  });
});
