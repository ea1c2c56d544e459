import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { contractSizesOfExchangeInfo, isCoinMarginedSymbol } from '@cryptostream/market-data';
import { ConfigError } from '@cryptostream/schema';
import axios from 'axios';
import { INGESTOR_CONFIG } from '../config/config.module';
import { IngestorConfig } from '../config/ingestor-config';

/**
 * The contract size of each COIN-M (inverse) symbol the ingestor publishes: exact windows of
 * such a symbol need it (base volume = Σ quantity × contract size / price). Sizes given in
 * `CONTRACT_SIZES` are taken as they are; when `SYMBOLS` lists a COIN-M symbol without one, the
 * sizes are fetched once at start-up from `GET /dapi/v1/exchangeInfo` (`BINANCE_DAPI_URL`), and
 * start-up fails with a message naming both settings if that is impossible.
 */
@Injectable()
export class ContractSizes implements OnModuleInit {
  readonly #logger = new Logger(ContractSizes.name);
  readonly #sizes: Map<string, string>;

  constructor(@Inject(INGESTOR_CONFIG) private readonly config: IngestorConfig) {
    this.#sizes = new Map(config.binance.contractSizes);
  }

  async onModuleInit(): Promise<void> {
    const missing = this.config.symbols.filter((symbol) => isCoinMarginedSymbol(symbol) && !this.#sizes.has(symbol));
    if (missing.length === 0) return;
    const url = `${this.config.binance.coinMarginedRestUrl}/dapi/v1/exchangeInfo`;
    let fetched: Map<string, string>;
    try {
      const response = await axios.get<unknown>(url, { timeout: this.config.binance.requestTimeoutMs });
      fetched = contractSizesOfExchangeInfo(response.data);
    } catch (error) {
      throw new ConfigError('BINANCE_DAPI_URL', `cannot read contract sizes from ${url} (${(error as Error).message}); set CONTRACT_SIZES=${missing.map((s) => `${s}:SIZE`).join(',')} instead`);
    }
    const unknown = missing.filter((symbol) => !fetched.has(symbol));
    if (unknown.length > 0) throw new ConfigError('SYMBOLS', `${unknown.join(', ')} not in ${url}: not a COIN-M contract Binance lists`);
    for (const symbol of missing) this.#sizes.set(symbol, fetched.get(symbol)!);
    this.#logger.log(`contract sizes from exchangeInfo: ${missing.map((symbol) => `${symbol} ${fetched.get(symbol)}`).join(', ')}`);
  }

  /**
   * The contract size of a COIN-M symbol; undefined for spot and USDⓈ-M symbols. Throws for a
   * COIN-M symbol whose size is unknown (a replayed file of a symbol not in `CONTRACT_SIZES`).
   */
  of(symbol: string): string | undefined {
    if (!isCoinMarginedSymbol(symbol)) return undefined;
    const size = this.#sizes.get(symbol);
    if (size === undefined) throw new Error(`contract size of COIN-M symbol ${symbol} unknown: list it in SYMBOLS or set CONTRACT_SIZES=${symbol}:SIZE`);
    return size;
  }
}
