import 'reflect-metadata';
import { startIngestor } from '../testing/ingestor-app';
import { RECORDINGS } from '@cryptostream/testing';

describe('health without Kafka', () => {
  it('stays up, live, and not ready with the reason while the broker cannot be reached', async () => {
    const ingestor = await startIngestor({ INGESTOR_SOURCE: 'replay', REPLAY_FILES: RECORDINGS.TRXUSD_PERP, KAFKA_BROKERS: '127.0.0.1:1' });
    try {
      expect((await ingestor.health('/health/live')).status).toBe(200);
      const ready = await ingestor.health('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.details['kafka']).toEqual({ status: 'down', message: expect.stringMatching(/Kafka/) });
      expect(ready.body.details['source']).toEqual(expect.objectContaining({ status: 'down', state: 'starting' }));
      expect((await ingestor.metrics()).split('\n').filter((line) => line.startsWith('ingestor_ready'))).toEqual(['ingestor_ready 0']);
    } finally {
      await ingestor.close();
    }
  }, 30_000);
});
