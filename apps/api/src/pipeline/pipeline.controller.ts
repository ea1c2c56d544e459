import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PipelineStateDto } from './pipeline.dto';
import { PipelineStateService } from './pipeline-state.service';

@ApiTags('pipeline')
@Controller('api')
export class PipelineController {
  constructor(private readonly pipeline: PipelineStateService) {}

  @Get('pipeline')
  @ApiOperation({ summary: 'Whether data flows: ingestor and aggregator readiness, consumer lag, age of the newest window' })
  @ApiOkResponse({ type: PipelineStateDto })
  state(): Promise<PipelineStateDto> {
    return this.pipeline.state();
  }
}
