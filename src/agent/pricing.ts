/**
 * Token prices in USD per million tokens, for the cost estimate logged with each turn. Prices are
 * public list prices at the time of writing; an unknown model is priced as a Sonnet and flagged.
 * Costs are kept in integer micro-dollars (tokens x price per million = micro-dollars).
 */
interface Price {
  input: number;
  output: number;
}

const PRICES: [RegExp, Price][] = [
  [/haiku-4|haiku-5/, { input: 1, output: 5 }],
  [/3-5-haiku|haiku-3-5/, { input: 0.8, output: 4 }],
  [/3-haiku/, { input: 0.25, output: 1.25 }],
  [/opus-4(-[01])?(-\d{8})?$|opus-4-1|3-opus/, { input: 15, output: 75 }],
  [/opus/, { input: 5, output: 25 }],
  [/sonnet/, { input: 3, output: 15 }],
];
const FALLBACK: Price = { input: 3, output: 15 };

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
}

export const emptyUsage = (): TokenUsage => ({
  inputTokens: 0,
  outputTokens: 0,
  cacheWriteTokens: 0,
  cacheReadTokens: 0,
});

export function addUsage(a: TokenUsage, b: Partial<TokenUsage>): TokenUsage {
  return {
    inputTokens: a.inputTokens + (b.inputTokens ?? 0),
    outputTokens: a.outputTokens + (b.outputTokens ?? 0),
    cacheWriteTokens: a.cacheWriteTokens + (b.cacheWriteTokens ?? 0),
    cacheReadTokens: a.cacheReadTokens + (b.cacheReadTokens ?? 0),
  };
}

export interface CostEstimate {
  /** Integer micro-dollars (1,000,000 = USD 1). */
  micros: number;
  /** "$0.0123" */
  text: string;
  /** True when the model is not in the price table and was priced as a Sonnet. */
  estimated: boolean;
}

/** Cache writes cost 1.25x the input price, cache reads 0.1x (5-minute cache). */
export function estimateCost(model: string, usage: TokenUsage): CostEstimate {
  if (model === 'offline') return { micros: 0, text: '$0.0000', estimated: false };
  const found = PRICES.find(([re]) => re.test(model));
  const price = found?.[1] ?? FALLBACK;
  const micros = Math.round(
    usage.inputTokens * price.input +
      usage.outputTokens * price.output +
      usage.cacheWriteTokens * price.input * 1.25 +
      usage.cacheReadTokens * price.input * 0.1,
  );
  return { micros, text: `$${(micros / 1_000_000).toFixed(4)}`, estimated: !found };
}
