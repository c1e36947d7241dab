// docs/cost.md shows the price table by hand: it must say what PRICE_TABLE says.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { PRICE_TABLE } from '../src/index.js';

const page = readFileSync(new URL('../../../docs/cost.md', import.meta.url), 'utf8');
const dollars = (usd: number) => `$${usd.toFixed(10).replace(/0+$/, '')}`;

describe('docs/cost.md', () => {
  it.each(Object.entries(PRICE_TABLE))('lists %s at its price and date', (key, price) => {
    // Biome pads markdown tables, so cells are matched whatever their padding.
    const row = page.split('\n').find((line) => new RegExp(`^\\|\\s*\`${key}\`\\s*\\|`).test(line));
    expect(row).toBeDefined();
    expect(row!.split('|')[2]!.trim()).toBe(dollars(price.usd));
    expect(row).toContain(price.asOf);
  });
});
