import { LakeStage, StageBuffers } from '@cryptostream/lake';

/**
 * What the archiver has read of one topic partition and not committed yet: the rows (staged as
 * the files they go to), the stored progress they start from, and the offset after the last
 * record taken into account (kept or skipped).
 */
export class PartitionBuffer {
  readonly stage: LakeStage;
  /** The progress stored in MySQL when these rows began. */
  fromOffset: number;
  nextOffset: number;
  /** Wall time the oldest uncommitted record was read (for rolling by time). */
  since: number | undefined;

  constructor(
    readonly topic: string,
    readonly partition: number,
    storedOffset: number,
    buffers: StageBuffers,
  ) {
    this.stage = new LakeStage(buffers);
    this.fromOffset = storedOffset;
    this.nextOffset = storedOffset;
  }

  /** True when records were read since the last commit (rows or only skipped ones). */
  get pending(): boolean {
    return this.nextOffset > this.fromOffset;
  }

  /** After a commit: the buffer starts again where the progress now is, its staged text's Buffers given back. */
  committed(): void {
    this.stage.release();
    this.fromOffset = this.nextOffset;
    this.since = undefined;
  }
}
