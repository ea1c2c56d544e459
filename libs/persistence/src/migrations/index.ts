import { createMovingAverages } from './001-create-moving-averages';
import { createConsumerProgress } from './002-create-consumer-progress';
import { windowSizes } from './003-window-sizes';
import { createWindowState } from './004-create-window-state';
import { exactWindowColumns } from './005-exact-window-columns';
import { createDeadWindows } from './006-create-dead-windows';
import { windowStateKeptRollups } from './007-window-state-kept-rollups';
import { windowStateCarriedRecent } from './008-window-state-carried-recent';
import { movingAveragesClusteredByWindow } from './009-moving-averages-clustered-by-window';
import { takerBuyVolumes } from './010-taker-buy-volumes';
import { createLakeFiles } from './011-create-lake-files';
import { Migration } from './migration';

export type { Migration } from './migration';

/** Every migration, ascending by version. Add new ones at the end; never edit an applied one. */
export const MIGRATIONS: readonly Migration[] = [
  createMovingAverages, createConsumerProgress, windowSizes, createWindowState, exactWindowColumns, createDeadWindows, windowStateKeptRollups, windowStateCarriedRecent,
  movingAveragesClusteredByWindow, takerBuyVolumes, createLakeFiles,
];
