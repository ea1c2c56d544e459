import { Module } from '@nestjs/common';
import { kafkaProvider } from './kafka.provider';
import { PricePublisher } from './price.publisher';

@Module({ providers: [kafkaProvider, PricePublisher], exports: [PricePublisher] })
export class PublisherModule {}
