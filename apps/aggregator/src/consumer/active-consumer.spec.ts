import type { Consumer } from 'kafkajs';
import { ActiveConsumer } from './active-consumer';

/** A kafkajs consumer recording what is done to it. */
function recordedConsumer() {
  const calls: string[] = [];
  const consumer = {
    pause: (topics: { topic: string }[]) => void calls.push(`pause ${topics.map((t) => t.topic).join(',')}`),
    resume: (topics: { topic: string }[]) => void calls.push(`resume ${topics.map((t) => t.topic).join(',')}`),
    commitOffsets: async (offsets: { partition: number; offset: string }[]) => void calls.push(`commit ${offsets.map((o) => `${o.partition}@${o.offset}`).join(',')}`),
  };
  return { consumer: consumer as unknown as Consumer, calls };
}

const progress = (partition: number, resumeOffset: number) => ({ consumerGroup: 'g', topic: 'prices', partition, resumeOffset, nextOffset: resumeOffset, watermarkMs: 0 });

describe('ActiveConsumer', () => {
  it('commits resume offsets on the consumer that runs now, and nothing before one runs', async () => {
    const active = new ActiveConsumer();
    await active.commitOffsets([progress(0, 5)]);
    const first = recordedConsumer();
    active.replace(first.consumer);
    await active.commitOffsets([progress(0, 7), progress(2, 9)]);
    const second = recordedConsumer();
    active.replace(second.consumer);
    await active.commitOffsets([progress(0, 8)]);
    expect([first.calls, second.calls]).toEqual([['commit 0@7,2@9'], ['commit 0@8']]);
  });

  it('starts a replacement paused while the topic is paused, and not once it is resumed', () => {
    const active = new ActiveConsumer();
    const first = recordedConsumer();
    active.replace(first.consumer);
    active.pause('prices');
    const second = recordedConsumer();
    active.replace(second.consumer);
    active.resume('prices');
    const third = recordedConsumer();
    active.replace(third.consumer);
    expect([first.calls, second.calls, third.calls]).toEqual([['pause prices'], ['pause prices', 'resume prices'], []]);
  });
});
