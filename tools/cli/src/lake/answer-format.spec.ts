import { formatAnswer } from './answer-format';

describe('formatAnswer', () => {
  const answer = { columns: ['symbol', 'price', 'note'], rows: [['BTCUSDT', '43200.120000000000', 'a, "b"'], ['ETHUSDT', null, null]] };

  it('aligns a table and counts its rows', () => {
    expect(formatAnswer(answer, 'table')).toBe(
      'symbol   price               note\n-------  ------------------  ------\nBTCUSDT  43200.120000000000  a, "b"\nETHUSDT\n(2 rows)\n',
    );
  });

  it('quotes CSV fields that need it and leaves NULL empty', () => {
    expect(formatAnswer(answer, 'csv')).toBe('symbol,price,note\nBTCUSDT,43200.120000000000,"a, ""b"""\nETHUSDT,,\n');
  });

  it('writes one JSON object a row, decimals as strings', () => {
    expect(formatAnswer(answer, 'jsonl').split('\n')[0]).toBe('{"symbol":"BTCUSDT","price":"43200.120000000000","note":"a, \\"b\\""}');
  });
});
