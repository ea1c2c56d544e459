import { Module } from '@nestjs/common';
import { ContractSizes } from './contract-sizes.service';
import { KAFKA, kafkaProvider } from './kafka.provider';
import { PricePublisher } from './price.publisher';

@Module({ providers: [kafkaProvider, ContractSizes, PricePublisher], exports: [PricePublisher, KAFKA, ContractSizes] })
export class PublisherModule {}
