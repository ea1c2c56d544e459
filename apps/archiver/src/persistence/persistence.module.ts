import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MysqlSchemaService } from './mysql-schema.service';
import { MysqlHealthIndicator } from './mysql.health';
import { mysqlProviders } from './mysql.providers';

/** MySQL: the pool, the migrated schema, the lake's manifest and the health check. */
@Module({
  imports: [TerminusModule],
  providers: [...mysqlProviders, MysqlSchemaService, MysqlHealthIndicator],
  exports: [...mysqlProviders, MysqlSchemaService, MysqlHealthIndicator],
})
export class PersistenceModule {}
