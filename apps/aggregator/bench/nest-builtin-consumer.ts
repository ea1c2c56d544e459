import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, MicroserviceOptions, Payload, Transport } from '@nestjs/microservices';
import { KafkaConnection, kafkajsSecurity } from '@cryptostream/kafka-io';
import { logLevel } from 'kafkajs';

/**
 * Nest's own Kafka transport (one message at a time through the handler pipeline, offsets
 * committed by Nest), counting messages only: the ceiling of the built-in path, for comparison.
 */
export async function countWithNestKafkaServer(options: { connection: KafkaConnection; topic: string; groupId: string; expected: number }): Promise<number> {
  let count = 0;
  let firstAt = 0;
  let finish: (ms: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));

  @Controller()
  class CountingController {
    @EventPattern(options.topic)
    count(@Payload() _message: unknown): void {
      if (count === 0) firstAt = performance.now();
      if (++count === options.expected) finish(performance.now() - firstAt);
    }
  }

  @Module({ controllers: [CountingController] })
  class CountingModule {}

  const app = await NestFactory.createMicroservice<MicroserviceOptions>(CountingModule, {
    logger: false,
    transport: Transport.KAFKA,
    options: {
      // Nest makes this client itself: the same brokers and security as our factory's.
      client: { clientId: 'bench-nest', brokers: [...options.connection.brokers], ...kafkajsSecurity(options.connection.security), logLevel: logLevel.NOTHING },
      consumer: { groupId: options.groupId, maxBytesPerPartition: 4 * 1024 * 1024 },
      subscribe: { fromBeginning: true },
      postfixId: '',
    },
  });
  await app.listen();
  const elapsedMs = await finished;
  await app.close();
  return elapsedMs;
}
