import { Module } from '@nestjs/common';
import { SchemasModule } from '../schemas/schemas.module';
import { ContractSizes } from './contract-sizes.service';
import { KAFKA, kafkaProvider } from './kafka.provider';
import { PricePublisher } from './price.publisher';

@Module({ imports: [SchemasModule], providers: [kafkaProvider, ContractSizes, PricePublisher], exports: [PricePublisher, KAFKA, ContractSizes, SchemasModule] })
export class PublisherModule {}
