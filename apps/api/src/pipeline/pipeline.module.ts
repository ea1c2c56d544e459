import { Module } from '@nestjs/common';
import { LiveModule } from '../live/live.module';
import { PipelineController } from './pipeline.controller';
import { PipelineStateService } from './pipeline-state.service';

/** The pipeline's state for the dashboard. */
@Module({ imports: [LiveModule], controllers: [PipelineController], providers: [PipelineStateService] })
export class PipelineModule {}
