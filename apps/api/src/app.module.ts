import { Module } from '@nestjs/common';
import { AccessModule } from './access/access.module';
import { BinanceModule } from './binance/binance.module';
import { CandlesModule } from './candles/candles.module';
import { ConfigModule } from './config/config.module';
import { API_CONFIG } from './config/api.config';
import { appLoggerModule } from '@cryptostream/service-runtime';
import { DashboardModule } from './dashboard/dashboard.module';
import { HealthModule } from './health/health.module';
import { LiveModule } from './live/live.module';
import { MetricsModule } from './metrics/metrics.module';
import { PersistenceModule } from './persistence/persistence.module';
import { PipelineModule } from './pipeline/pipeline.module';
import { TradesModule } from './trades/trades.module';

/** The read side: candle history from MySQL, raw trades from the data lake, live candles from Kafka, Binance-compatible klines, the dashboard, health and metrics, behind the access limits. */
@Module({
  imports: [ConfigModule, appLoggerModule(API_CONFIG), MetricsModule, AccessModule, PersistenceModule, CandlesModule, TradesModule, LiveModule, BinanceModule, PipelineModule, HealthModule, DashboardModule],
})
export class AppModule {}
