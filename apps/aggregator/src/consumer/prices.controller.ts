import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { PARTITIONS_ASSIGNED, PartitionAssignment, PRICE_BATCH, PriceBatch } from '../windows/price-batch';
import { WindowsService } from '../windows/windows.service';

/** Hands what the Kafka transport delivers to the windows; no logic of its own. */
@Controller()
export class PricesController {
  constructor(private readonly windows: WindowsService) {}

  @EventPattern(PRICE_BATCH)
  onBatch(@Payload() batch: PriceBatch): Promise<void> {
    return this.windows.process(batch);
  }

  @EventPattern(PARTITIONS_ASSIGNED)
  onAssigned(@Payload() assignment: PartitionAssignment): void {
    this.windows.onAssigned(assignment);
  }
}
