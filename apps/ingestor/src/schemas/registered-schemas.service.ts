import { apicurioClientFor, SchemaRegistration } from '@cryptostream/schema-registry';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { INGESTOR_CONFIG } from '../config/config.module';
import { IngestorConfig } from '../config/ingestor-config';

/**
 * The schemas of what the ingestor writes (trades and source-progress records on the price
 * topic, dead letters on its dead-letter topic), registered at start-up when
 * `SCHEMA_REGISTRY_URL` is set (see libs/schema-registry `SchemaRegistration`).
 */
@Injectable()
export class RegisteredSchemas extends SchemaRegistration implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(INGESTOR_CONFIG) config: IngestorConfig) {
    const { topic, deadLetterTopic } = config.kafka;
    super({
      client: apicurioClientFor(config.schemaRegistry),
      produced: [{ topic, kind: 'trade' }, { topic, kind: 'source-progress' }, { topic: deadLetterTopic, kind: 'dead-letter' }],
      log: new Logger(RegisteredSchemas.name),
    });
  }

  onModuleInit(): void {
    void this.start();
  }

  onApplicationShutdown(): void {
    this.stop();
  }
}
