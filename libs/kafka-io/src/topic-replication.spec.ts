import { ConfigError } from '@cryptostream/schema';
import { parseTopicReplication, resolveReplication } from './topic-replication';

describe('topic replication settings', () => {
  it('leaves both unset when the environment says nothing', () => {
    expect(parseTopicReplication({})).toEqual({});
    expect(parseTopicReplication({ KAFKA_REPLICATION_FACTOR: ' ', KAFKA_MIN_INSYNC_REPLICAS: '' })).toEqual({});
  });

  it('reads both when given', () => {
    expect(parseTopicReplication({ KAFKA_REPLICATION_FACTOR: '3', KAFKA_MIN_INSYNC_REPLICAS: '2' })).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
  });

  it.each([
    [{ KAFKA_REPLICATION_FACTOR: 'three' }, 'KAFKA_REPLICATION_FACTOR'],
    [{ KAFKA_REPLICATION_FACTOR: '0' }, 'KAFKA_REPLICATION_FACTOR'],
    [{ KAFKA_MIN_INSYNC_REPLICAS: '-1' }, 'KAFKA_MIN_INSYNC_REPLICAS'],
    [{ KAFKA_REPLICATION_FACTOR: '2', KAFKA_MIN_INSYNC_REPLICAS: '3' }, 'KAFKA_MIN_INSYNC_REPLICAS'],
  ])('refuses %j naming %s', (env, setting) => {
    expect(() => parseTopicReplication(env)).toThrow(ConfigError);
    expect(() => parseTopicReplication(env)).toThrow(setting);
  });

  it('defaults to 1 and 1 on one broker, 3 and 2 on a cluster of three or more', () => {
    expect(resolveReplication({}, 1)).toEqual({ replicationFactor: 1, minInsyncReplicas: 1 });
    expect(resolveReplication({}, 2)).toEqual({ replicationFactor: 2, minInsyncReplicas: 1 });
    expect(resolveReplication({}, 3)).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
    expect(resolveReplication({}, 5)).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
  });

  it('takes the settings over the defaults', () => {
    expect(resolveReplication({ replicationFactor: 5, minInsyncReplicas: 3 }, 5)).toEqual({ replicationFactor: 5, minInsyncReplicas: 3 });
    expect(resolveReplication({ minInsyncReplicas: 1 }, 3)).toEqual({ replicationFactor: 3, minInsyncReplicas: 1 });
  });

  it('refuses a factor larger than the cluster, naming the setting', () => {
    expect(() => resolveReplication({ replicationFactor: 3 }, 1)).toThrow(/KAFKA_REPLICATION_FACTOR.*1 broker\b/);
    expect(() => resolveReplication({ replicationFactor: 1, minInsyncReplicas: 2 }, 3)).toThrow(/KAFKA_MIN_INSYNC_REPLICAS/);
  });
});
