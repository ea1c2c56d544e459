import { Provider } from '@nestjs/common';
import { createKafka } from '@cryptostream/kafka-io';
import { IngestorConfig } from '../config/ingestor-config';
import { INGESTOR_CONFIG } from '../config/config.module';

export const KAFKA = Symbol('KAFKA');

/**
 * Retries of a send, bounded (kafkajs warns about that for idempotent producers) so that a failing
 * send surfaces in `/health/ready`; the batcher then resends the same batch, in order.
 */
export const PRODUCER_RETRY = { initialRetryTime: 200, retries: 8 } as const;

/**
 * The kafkajs client. Connecting gives up after a few quick retries: the publisher retries the
 * connection itself (interruptibly, with backoff), and a connect that kept retrying for seconds
 * would outlive a shutdown. Sends retry longer (see `PRODUCER_RETRY`).
 */
export const kafkaProvider: Provider = {
  provide: KAFKA,
  inject: [INGESTOR_CONFIG],
  useFactory: (config: IngestorConfig) =>
    createKafka({
      clientId: config.kafka.clientId,
      connection: config.kafka,
      logLevel: config.logLevel,
      retry: { initialRetryTime: 200, retries: 2 },
    }),
};
