import { Module } from '@nestjs/common';
import { API_CONFIG, ApiConfig } from '../config/api.config';
import { DASHBOARD_FILES, DashboardController } from './dashboard.controller';
import { loadDashboardFiles } from './dashboard-files';

/** Serves the bundled dashboard (apps/api/dashboard, built with esbuild). */
@Module({
  controllers: [DashboardController],
  providers: [{ provide: DASHBOARD_FILES, inject: [API_CONFIG], useFactory: (config: ApiConfig) => loadDashboardFiles(config.dashboardDir) }],
})
export class DashboardModule {}
