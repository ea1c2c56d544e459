export * from './kafka-brokers';
export * from './ensure-topics';
export * from './topic-replication';
