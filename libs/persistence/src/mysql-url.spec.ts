import { ConfigError } from '@cryptostream/schema';
import { parseMysqlUrl } from './mysql-url';

describe('parseMysqlUrl', () => {
  it('reads user, password, host, port and database', () => {
    expect(parseMysqlUrl('mysql://app:s%40cret@db:3307/prices')).toEqual({ host: 'db', port: 3307, user: 'app', password: 's@cret', database: 'prices' });
  });

  it.each(['mysql://app:s3cret@db:3306/bad-name', 'mysql://app:s3cret@db/', 'postgres://app:s3cret@db/x', 'app:s3cret@db'])(
    'refuses %p without repeating its password',
    (url) => {
      let error: unknown;
      try {
        parseMysqlUrl(url);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/^MYSQL_URL: /);
      expect((error as Error).message).not.toMatch(/s3cret/);
    },
  );
});
