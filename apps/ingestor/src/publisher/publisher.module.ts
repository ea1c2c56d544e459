import { Module } from '@nestjs/common';
import { KAFKA, kafkaProvider } from './kafka.provider';
import { PricePublisher } from './price.publisher';

@Module({ providers: [kafkaProvider, PricePublisher], exports: [PricePublisher, KAFKA] })
export class PublisherModule {}
