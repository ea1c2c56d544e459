import { Provider } from '@nestjs/common';

/** Wall time in epoch ms. Injected, so that tests can drive idle time and pauses. */
export type Clock = () => number;

export const CLOCK = Symbol('CLOCK');

export const clockProvider: Provider = { provide: CLOCK, useValue: Date.now };
