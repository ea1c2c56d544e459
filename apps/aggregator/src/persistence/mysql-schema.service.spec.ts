import { CryptostreamError } from '@cryptostream/schema';
import type { Pool } from 'mysql2/promise';
import type { AggregatorConfig } from '../config/aggregator.config';
import { MysqlSchemaService } from './mysql-schema.service';

describe('MysqlSchemaService', () => {
  const config = { mysqlMigrate: false, mysql: { host: '127.0.0.1', port: 3306, database: 'speed_unit' } } as unknown as AggregatorConfig;
  const refusingPool = () => {
    const getConnection = jest.fn(() => Promise.reject(new CryptostreamError('access denied', { retriable: false })));
    return { pool: { getConnection } as unknown as Pool, getConnection };
  };

  it('starts checking the schema when the app starts, before anyone asks, and ready() waits for that same attempt', async () => {
    const { pool, getConnection } = refusingPool();
    const schema = new MysqlSchemaService(config, pool);
    expect(getConnection).not.toHaveBeenCalled();
    schema.onApplicationBootstrap();
    expect(getConnection).toHaveBeenCalledTimes(1);
    await expect(schema.ready()).rejects.toThrow('access denied');
    expect(getConnection).toHaveBeenCalledTimes(1);
  });

  it('leaves no unhandled rejection when nobody awaits the attempt started with the app', async () => {
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      new MysqlSchemaService(config, refusingPool().pool).onApplicationBootstrap();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});
