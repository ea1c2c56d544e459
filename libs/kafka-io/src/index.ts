export * from './kafka-brokers';
export * from './ensure-topics';
