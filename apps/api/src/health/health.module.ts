import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LiveModule } from '../live/live.module';
import { HealthController } from './health.controller';
import { KafkaHealthIndicator } from './kafka.health';
import { MysqlHealthIndicator } from './mysql.health';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), LiveModule],
  controllers: [HealthController],
  providers: [KafkaHealthIndicator, MysqlHealthIndicator],
})
export class HealthModule {}
