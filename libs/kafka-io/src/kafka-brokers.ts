import { ConfigError } from '@cryptostream/schema';

/** Parses `KAFKA_BROKERS` ("host:port,host:port"); throws a ConfigError naming the setting. */
export function parseKafkaBrokers(value: string, setting = 'KAFKA_BROKERS'): string[] {
  const brokers = value.split(',').map((broker) => broker.trim()).filter(Boolean);
  if (brokers.length === 0) throw new ConfigError(setting, 'must list at least one broker, like 127.0.0.1:9092');
  for (const broker of brokers) {
    const match = /^([^:\s]+):(\d{1,5})$/.exec(broker);
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) {
      throw new ConfigError(setting, `${JSON.stringify(broker)} is not host:port`);
    }
  }
  return brokers;
}
