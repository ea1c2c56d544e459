import { Controller, Get, Inject, NotFoundException, Param, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { DashboardSession } from '../access/dashboard-session';
import { DashboardFiles } from './dashboard-files';

export const DASHBOARD_FILES = Symbol('DASHBOARD_FILES');

/** The dashboard page at `/` and its bundle under `/dashboard/`. */
@ApiExcludeController()
@Controller()
export class DashboardController {
  constructor(
    @Inject(DASHBOARD_FILES) private readonly files: DashboardFiles,
    private readonly session: DashboardSession,
  ) {}

  @Get()
  page(@Res() response: ServerResponse): void {
    // With API keys required, the page's own reads go through on this cookie (DashboardSession).
    const cookie = this.session.cookie(Date.now());
    if (cookie) response.setHeader('Set-Cookie', cookie);
    this.#send(response, 'index.html');
  }

  @Get('dashboard/:file')
  asset(@Param('file') file: string, @Res() response: ServerResponse): void {
    this.#send(response, file);
  }

  #send(response: ServerResponse, name: string): void {
    if (!this.files.dir) throw new ServiceUnavailableException('the dashboard is not built: run `npx nx bundle api` (or set DASHBOARD_DIR)');
    const file = this.files.get(name);
    if (!file) throw new NotFoundException(`no dashboard file ${name}`);
    response.setHeader('Content-Type', file.type);
    response.setHeader('Cache-Control', 'no-cache');
    response.end(file.body);
  }
}
