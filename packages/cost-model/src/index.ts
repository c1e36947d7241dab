// @murmur/cost-model: the cost ledger priced. Pure functions over events; no I/O.
export {
  billOf,
  type CostScope,
  type LineItem,
  type LineItems,
  sumBills,
  usdOf,
} from './line-items.js';
export {
  AI_CALL_KEYS,
  type AiCallKey,
  expressExecutionLine,
  priceExecutionOnly,
  priceMessage,
  referenceDesignCost,
  referenceTransitions,
} from './price-message.js';
export { type CostReport, type DesignCost, GOAL_MAX_RATIO, priceRun } from './price-run.js';
export {
  ASSUMPTIONS,
  PRICE_TABLE,
  PRICING_CURRENCY,
  PRICING_REGION,
  type Price,
  type PriceKey,
} from './price-table.js';
export {
  COMPREHEND_MIN_UNITS,
  characterCount,
  comprehendUnits,
  eventBridgeChunks,
  expressGbSeconds,
  lambdaGbSeconds,
  type PublishedEntry,
} from './units.js';
