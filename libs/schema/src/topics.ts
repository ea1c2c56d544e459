/** The topic every price message is published to (the original design's name). */
export const CRYPTO_PRICES_TOPIC = 'crypto_prices';

/** Where messages that fail validation go, with the reason, so nothing is lost. */
export const DEAD_LETTER_TOPIC = 'crypto_prices.dlq';
