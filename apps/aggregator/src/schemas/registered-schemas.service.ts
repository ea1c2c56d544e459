import { apicurioClientFor, SchemaRegistration } from '@cryptostream/schema-registry';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AGGREGATOR_CONFIG, AggregatorConfig } from '../config/aggregator.config';

/**
 * The schemas of what the aggregator writes (window updates, dead letters), registered at
 * start-up when `SCHEMA_REGISTRY_URL` is set (see libs/schema-registry `SchemaRegistration`).
 */
@Injectable()
export class RegisteredSchemas extends SchemaRegistration implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(AGGREGATOR_CONFIG) config: AggregatorConfig) {
    super({
      client: apicurioClientFor(config.schemaRegistry),
      produced: [
        ...(config.windowUpdates ? [{ topic: config.windowUpdatesTopic.name, kind: 'window-update' as const }] : []),
        { topic: config.kafkaDlqTopic, kind: 'dead-letter' },
      ],
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
