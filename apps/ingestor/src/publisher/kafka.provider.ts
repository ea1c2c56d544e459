import { Provider } from '@nestjs/common';
import { kafkaLogging } from '@cryptostream/kafka-io';
import { Kafka } from 'kafkajs';
import { IngestorConfig } from '../config/ingestor-config';
import { INGESTOR_CONFIG } from '../config/config.module';

export const KAFKA = Symbol('KAFKA');

/**
 * The kafkajs client; kafkajs retries retriable errors itself, with backoff and jitter. Retries
 * are bounded (kafkajs warns about that for idempotent producers) so that a failing send surfaces
 * in `/health/ready`; the batcher then resends the same batch, in order.
 */
export const kafkaProvider: Provider = {
  provide: KAFKA,
  inject: [INGESTOR_CONFIG],
  useFactory: (config: IngestorConfig) =>
    new Kafka({
      clientId: config.kafka.clientId,
      brokers: [...config.kafka.brokers],
      ...kafkaLogging(config.logLevel),
      retry: { initialRetryTime: 200, retries: 8 },
    }),
};
