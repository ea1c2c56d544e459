import { Kafka, PartitionerArgs, Partitioners, ProducerConfig } from 'kafkajs';
import { ProducerConnection } from './producer-connection';

const metadata = (count: number) => Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [], isr: [] }));

describe('ProducerConnection.partitionOf', () => {
  it("is the producer's own partition of a key, on the partition count the producer last used", () => {
    let partitioner: ((args: PartitionerArgs) => number) | undefined;
    const kafka = { producer: (config: ProducerConfig) => ((partitioner = config.createPartitioner!()), {}) } as unknown as Kafka;
    const connection = new ProducerConnection(kafka, { topic: 'prices', deadLetterTopic: 'dlq', topicPartitions: 3, replication: {}, brokers: [] }, { log: jest.fn(), warn: jest.fn(), error: jest.fn() });
    expect(connection.partitionOf('prices', 'BTCUSDT')).toBeUndefined();

    const symbols = Array.from({ length: 200 }, (_, i) => `S${i}USDT`);
    const reference = Partitioners.DefaultPartitioner();
    for (const count of [3, 7]) {
      // A send through the producer: its partitioner sees the topic's partitions.
      const sentTo = symbols.map((key) => partitioner!({ topic: 'prices', partitionMetadata: metadata(count), message: { key, value: '{}' } }));
      expect(symbols.map((symbol) => connection.partitionOf('prices', symbol))).toEqual(sentTo);
      expect(sentTo).toEqual(symbols.map((key) => reference({ topic: 'prices', partitionMetadata: metadata(count), message: { key, value: null } })));
      expect(new Set(sentTo).size).toBe(count);
    }
    expect(connection.partitionOf('dlq', 'BTCUSDT')).toBeUndefined();
  });
});
