import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { BatchRunner } from './batch.runner';
import { BatchAcknowledgement, FetchedBatch, PARTITIONS_ASSIGNED, PartitionAssignment, PRICE_BATCH } from './batch-transport';

/** Hands what the Kafka transport delivers to the batch runner; no logic of its own. */
@Controller()
export class PricesController {
  constructor(private readonly runner: BatchRunner) {}

  @EventPattern(PRICE_BATCH)
  onBatch(@Payload() batch: FetchedBatch): Promise<BatchAcknowledgement> {
    return this.runner.run(batch);
  }

  @EventPattern(PARTITIONS_ASSIGNED)
  onAssigned(@Payload() assignment: PartitionAssignment): void {
    this.runner.assign(assignment);
  }
}
