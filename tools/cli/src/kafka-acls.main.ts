/**
 * Creates each app's ACLs and the pipeline's topics on a broker with an authorizer, as the user
 * of the settings (a super user: before the ACLs exist, nobody else may): run by
 * `scripts/kafka.sh secure-start`. Settings: the Kafka ones
 * of libs/config (`KAFKA_BROKERS`, `KAFKA_SECURITY_PROTOCOL`, `KAFKA_SASL_*`, …), `KAFKA_TOPIC`,
 * `KAFKA_DLQ_TOPIC`, `KAFKA_WINDOWS_TOPIC`, `KAFKA_GROUP_ID` (the aggregator's group),
 * `KAFKA_ARCHIVER_GROUP_ID` (the archiver's) and
 * `KAFKA_TOPIC_PARTITIONS` (3).
 */
import { kafkaSettings, SettingsReader, windowUpdatesTopic } from '@cryptostream/config';
import { createKafka, ensureTopics, grantPipelineAcls } from '@cryptostream/kafka-io';
import { redactSecrets } from '@cryptostream/schema';

async function main(): Promise<void> {
  const settings = new SettingsReader(process.env);
  const kafka = kafkaSettings(settings);
  const windows = windowUpdatesTopic(settings);
  const names = {
    pricesTopic: kafka.topic,
    deadLetterTopic: kafka.deadLetterTopic,
    windowsTopic: windows.name,
    aggregatorGroup: settings.text('KAFKA_GROUP_ID', 'cryptostream-aggregator'),
    archiverGroup: settings.text('KAFKA_ARCHIVER_GROUP_ID', 'cryptostream-archiver'),
  };
  const admin = createKafka({ clientId: 'cryptostream-kafka-acls', connection: kafka }).admin();
  await admin.connect();
  try {
    const acls = await grantPipelineAcls(admin, names);
    const created = await ensureTopics(admin, [names.pricesTopic, names.deadLetterTopic, names.windowsTopic].map((topic) => ({ topic, numPartitions: windows.partitions })), kafka.replication);
    process.stderr.write(`kafka-acls: ${created.length ? `created ${created.join(', ')}; ` : ''}${acls} ACLs for ${Object.values(names).join(', ')}\n`);
  } finally {
    await admin.disconnect();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`kafka-acls: ${redactSecrets((error as Error).message)}\n`);
  process.exitCode = 1;
});
