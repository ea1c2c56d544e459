import type { PartitionProgress } from '@cryptostream/persistence';
import { OffsetMirror } from './offset-mirror';

const progress = (partition: number, resumeOffset: number, topic = 'prices'): PartitionProgress => ({
  consumerGroup: 'g', topic, partition, resumeOffset, nextOffset: resumeOffset + 1, watermarkMs: null,
});

describe('OffsetMirror', () => {
  it('commits one batch at a time, coalescing what arrives meanwhile to the latest per partition', async () => {
    const commits: Array<Array<[number, number]>> = [];
    let finish!: () => void;
    const mirror = new OffsetMirror(
      (stored) => {
        commits.push(stored.map((p) => [p.partition, p.resumeOffset]));
        return new Promise<void>((resolve) => (finish = resolve));
      },
      { debug: () => undefined },
    );
    mirror.assign('prices', [0, 1]);
    mirror.mirror(progress(0, 5));
    mirror.mirror(progress(0, 7));
    mirror.mirror(progress(1, 3));
    mirror.mirror(progress(0, 9));
    expect(commits).toEqual([[[0, 5]]]);
    finish();
    await new Promise(setImmediate);
    expect(commits).toEqual([[[0, 5]], [[0, 9], [1, 3]]]);
  });

  it('leaves partitions and topics it does not own to their owner', () => {
    const commits: PartitionProgress[][] = [];
    const mirror = new OffsetMirror(async (stored) => void commits.push([...stored]), { debug: () => undefined });
    mirror.assign('prices', [1]);
    mirror.mirror(progress(0, 5));
    mirror.mirror(progress(1, 5, 'other'));
    expect(commits).toEqual([]);
  });
});
