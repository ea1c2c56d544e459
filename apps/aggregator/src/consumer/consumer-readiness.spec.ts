import { ConsumerReadiness, FETCH_SILENCE_MS } from './consumer-readiness';

describe('ConsumerReadiness', () => {
  const running = () => {
    const readiness = new ConsumerReadiness();
    readiness.starting(undefined);
    readiness.joined(1_000);
    return readiness;
  };

  it('is ready once the consumer runs, has joined and fetches', () => {
    const readiness = new ConsumerReadiness();
    expect(readiness.problem(0)).toBe('consumer not started yet');
    readiness.starting('waiting for the MySQL schema');
    expect(readiness.problem(0)).toBe('waiting for the MySQL schema');
    readiness.starting(undefined);
    expect(readiness.problem(0)).toBe('consumer has not joined its group');
    readiness.joined(1_000);
    expect(readiness.problem(1_000)).toBeUndefined();
  });

  it('is ready again after kafkajs restarts a crashed consumer (DISCONNECT, CRASH, then GROUP_JOIN and no CONNECT)', () => {
    const readiness = running();
    // kafkajs's onCrash: disconnect() emits DISCONNECT, then CRASH; start(onCrash) later joins the
    // group again (GROUP_JOIN) and fetches, but never emits CONNECT.
    readiness.left();
    expect(readiness.crashed('The group is rebalancing, so a rejoin is needed', true)).toMatch(/\(restarting\)$/);
    expect(readiness.problem(2_000)).toBe('consumer crashed: The group is rebalancing, so a rejoin is needed (restarting)');
    readiness.joined(3_000);
    readiness.fetched(3_100);
    expect(readiness.problem(3_200)).toBeUndefined();
  });

  it('is not ready after a crash kafkajs does not restart, until a replacement consumer has joined', () => {
    const readiness = running();
    readiness.left();
    readiness.crashed("Cannot read properties of null (reading 'brokers')", false);
    expect(readiness.problem(60_000)).toBe("consumer crashed: Cannot read properties of null (reading 'brokers') (kafkajs gives up on it: replacing the consumer)");
    readiness.joined(61_000);
    expect(readiness.problem(61_000)).toBeUndefined();
  });

  it('is not ready while out of the group or when fetches stop', () => {
    const readiness = running();
    expect(readiness.problem(1_000 + FETCH_SILENCE_MS)).toBeUndefined();
    expect(readiness.problem(1_001 + FETCH_SILENCE_MS)).toBe('no fetch from Kafka for over 15 s');
    readiness.fetched(20_000);
    expect(readiness.problem(20_000)).toBeUndefined();
    readiness.left();
    expect(readiness.problem(20_000)).toBe('consumer has not joined its group');
  });
});
