export * from './kafka-brokers';
export * from './ensure-topics';
export * from './topic-replication';
export * from './read-dead-letters';
export * from './kafka-logging';
export * from './message-limits';
export * from './kafkajs-warning';
