import { ApiProperty } from '@nestjs/swagger';

export class ServiceStateDto {
  @ApiProperty({ example: 'http://127.0.0.1:3002' }) url!: string;
  @ApiProperty() ready!: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'why it is not ready' }) problem!: string | null;
}

/** What the dashboard shows so that a person sees at a glance whether data flows. */
export class PipelineStateDto {
  @ApiProperty({ description: 'epoch ms of this answer' }) nowMs!: number;
  @ApiProperty({ type: ServiceStateDto }) ingestor!: ServiceStateDto;
  @ApiProperty({ type: ServiceStateDto }) aggregator!: ServiceStateDto;
  @ApiProperty({ nullable: true, type: Number, description: "price messages the aggregator has not read yet (its aggregator_consumer_lag); null when unknown" })
  consumerLag!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'end of the newest window of the smallest interval in MySQL, epoch ms' }) newestWindowEndMs!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'now minus that end' }) newestWindowAgeMs!: number | null;
  @ApiProperty({ description: 'live streams open on this API instance' }) sseClients!: number;
}
