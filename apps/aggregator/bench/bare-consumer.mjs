// A bare kafkajs eachBatch consumer that only counts, in a process of its own like the
// aggregator, so that bench:e2e reads its start-up, rate and CPU time the same way:
//
//   node bare-consumer.mjs BROKERS TOPIC GROUP_ID EXPECTED
//
// Prints one JSON line: epoch ms (fractional) of joining the group, of the first batch and of
// the last count, and the process's CPU ms at the join and at the end.
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;
const [brokers, topic, groupId, expected] = process.argv.slice(2);
const now = () => performance.timeOrigin + performance.now();
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

// TLS and SASL as the factory (createKafka of libs/kafka-io) sets them, handed over by bench:e2e.
const security = JSON.parse(process.env.BENCH_KAFKA_SECURITY ?? '{}');
const kafka = new Kafka({ clientId: 'bench-bare', brokers: brokers.split(','), logLevel: logLevel.NOTHING, ...security });
const consumer = kafka.consumer({ groupId, maxBytesPerPartition: 4 * 1024 * 1024 });
const result = {};
consumer.on(consumer.events.GROUP_JOIN, () => {
  result.joinedAtMs ??= now();
  result.cpuAtJoinMs ??= cpuMs();
});
await consumer.connect();
await consumer.subscribe({ topic, fromBeginning: true });
let count = 0;
await new Promise((resolve) =>
  consumer.run({
    eachBatch: async ({ batch }) => {
      result.firstBatchAtMs ??= now();
      count += batch.messages.length;
      if (count >= Number(expected)) resolve();
    },
  }),
);
result.doneAtMs = now();
result.cpuAtDoneMs = cpuMs();
process.stdout.write(`${JSON.stringify(result)}\n`);
await consumer.disconnect();
process.exit(0);
