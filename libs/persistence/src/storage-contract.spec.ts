import { exactWindowColumns } from './migrations/005-exact-window-columns';
import { takerBuyVolumes } from './migrations/010-taker-buy-volumes';
import { sqlTypeOf, WINDOW_COLUMN_NEEDS } from './storage-contract';

describe('the storage contract', () => {
  it('stays within MySQL DECIMAL(65,30) for every column', () => {
    for (const need of Object.values(WINDOW_COLUMN_NEEDS)) expect(() => sqlTypeOf(need)).not.toThrow();
  });

  it('is what migration 005 gives every value column, and 010 the taker-buy ones', () => {
    const statement = exactWindowColumns.statements.join('\n');
    const takerBuy = takerBuyVolumes.statements.join('\n');
    for (const [column, need] of Object.entries(WINDOW_COLUMN_NEEDS)) {
      if (['symbol', 'trade_count', 'event_count'].includes(column)) continue; // unchanged since migration 001
      if (column.startsWith('taker_buy_')) expect(takerBuy).toContain(`ADD COLUMN ${column} ${sqlTypeOf(need)} NULL`);
      else expect(statement).toContain(`MODIFY ${column} ${sqlTypeOf(need)}`);
    }
  });

  it('refuses limits past what MySQL can hold', () => {
    expect(() => sqlTypeOf({ kind: 'decimal', integerDigits: 40, fractionDigits: 26 })).toThrow(/DECIMAL\(66,26\).*lower/);
    expect(() => sqlTypeOf({ kind: 'decimal', integerDigits: 1, fractionDigits: 31 })).toThrow(/DECIMAL\(32,31\)/);
  });
});
