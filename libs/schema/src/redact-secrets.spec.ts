import { redactSecrets, registerSecret } from './redact-secrets';

describe('redactSecrets', () => {
  it('hides the password of every URL in a text, and nothing else', () => {
    expect(redactSecrets('MYSQL_URL=mysql://app:s3cr%40t@db:3306/cryptostream and amqp://u:p@q/ fine')).toBe(
      'MYSQL_URL=mysql://app:***@db:3306/cryptostream and amqp://u:***@q/ fine',
    );
    expect(redactSecrets('mysql://root@127.0.0.1:3306/cryptostream http://127.0.0.1:3002/health 10:30:00')).toBe(
      'mysql://root@127.0.0.1:3306/cryptostream http://127.0.0.1:3002/health 10:30:00',
    );
  });

  it('hides SASL and MySQL passwords given as settings, JAAS options or JSON fields', () => {
    expect(redactSecrets('KAFKA_SASL_PASSWORD=hunter22 KAFKA_SASL_USERNAME=ingestor')).toBe('KAFKA_SASL_PASSWORD=*** KAFKA_SASL_USERNAME=ingestor');
    expect(redactSecrets('MYSQL_PASSWORD: s3cret')).toBe('MYSQL_PASSWORD: ***');
    expect(redactSecrets('ScramLoginModule required username="broker" password="b-pass";')).toBe('ScramLoginModule required username="broker" password="***";');
    expect(redactSecrets('{"sasl":{"username":"api","password":"p4ss"}}')).toBe('{"sasl":{"username":"api","password":"***"}}');
    // A setting that names a file is not a secret; the file's contents are (below).
    expect(redactSecrets('KAFKA_SASL_PASSWORD_FILE=/run/secrets/kafka')).toBe('KAFKA_SASL_PASSWORD_FILE=/run/secrets/kafka');
  });

  it('hides the contents of password files wherever they appear, once registered', () => {
    const fromFile = 'Zq8-file-secret';
    expect(redactSecrets(`wrong password ${fromFile} given`)).toContain(fromFile);
    registerSecret(fromFile);
    registerSecret('ab');
    expect(redactSecrets(`wrong password ${fromFile} given; again:${fromFile}`)).toBe('wrong password *** given; again:***');
    expect(redactSecrets('about a cab')).toBe('about a cab');
  });
});

describe('redactSecrets: API keys', () => {
  it('hides API keys sent as headers, JSON fields or query parameters, and leaves their names', () => {
    expect(redactSecrets('X-API-Key: k3y-0123456789abcdef and x-mbx-apikey=Zm9vYmFy0123456789')).toBe('X-API-Key: *** and x-mbx-apikey=***');
    expect(redactSecrets('{"headers":{"x-api-key":"k3y-0123456789abcdef","accept":"*/*"}}')).toBe('{"headers":{"x-api-key":"***","accept":"*/*"}}');
    expect(redactSecrets('GET /api/v3/klines?symbol=BTCUSDT&apiKey=k3y-0123456789abcdef&limit=5')).toBe('GET /api/v3/klines?symbol=BTCUSDT&apiKey=***&limit=5');
    expect(redactSecrets('API_KEYS_FILE: line 3 of /run/secrets/api-keys is not a key')).toBe('API_KEYS_FILE: line 3 of /run/secrets/api-keys is not a key');
  });
});
