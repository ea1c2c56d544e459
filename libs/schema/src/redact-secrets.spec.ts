import { redactSecrets } from './redact-secrets';

describe('redactSecrets', () => {
  it('hides the password of every URL in a text, and nothing else', () => {
    expect(redactSecrets('MYSQL_URL=mysql://app:s3cr%40t@db:3306/cryptostream and amqp://u:p@q/ fine')).toBe(
      'MYSQL_URL=mysql://app:***@db:3306/cryptostream and amqp://u:***@q/ fine',
    );
    expect(redactSecrets('mysql://root@127.0.0.1:3306/cryptostream http://127.0.0.1:3002/health 10:30:00')).toBe(
      'mysql://root@127.0.0.1:3306/cryptostream http://127.0.0.1:3002/health 10:30:00',
    );
  });
});
