import { asPortfolioId } from '../../common/branded';
import { holdingIdFor, multiplierOf, positionTypeFor, uuidV5 } from './holding-id';

describe('holding ids', () => {
  it('computes RFC 4122 version-5 UUIDs', () => {
    // Python documentation of the uuid module: uuid5(NAMESPACE_DNS, 'python.org') == 886313e1-3b8a-5372-9b90-0c9aee199e5d
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('gives a holding the same id for the same portfolio, symbol and direction, and another otherwise', () => {
    const p = asPortfolioId('0d6f5b7e-1111-4222-8333-944455556666');
    const id = holdingIdFor(p, 'AAPL', 'LONG');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(holdingIdFor(p, 'AAPL', 'LONG')).toBe(id);
    expect(holdingIdFor(p, 'AAPL', 'SHORT')).not.toBe(id);
    expect(holdingIdFor(asPortfolioId('other'), 'AAPL', 'LONG')).not.toBe(id);
  });
});

describe('positionTypeFor', () => {
  it.each([
    ['BUY', null, 'LONG'], ['SELL', null, 'LONG'], ['SELL_SHORT', null, 'SHORT'], ['BUY_TO_COVER', null, 'SHORT'],
    ['BUY', 'CALL', 'LC'], ['SELL', 'PUT', 'LP'], ['SELL_SHORT', 'CALL', 'SC'], ['BUY_TO_COVER', 'PUT', 'SP'],
    ['EXERCISE', 'CALL', 'LC'], ['ASSIGN', 'PUT', 'SP'], ['TRANSFER_IN', null, 'LONG'],
  ] as const)('%s %s acts on %s', (tx, right, expected) => {
    expect(positionTypeFor(tx, right)).toBe(expected);
  });

  it('rejects a cash transaction', () => {
    expect(() => positionTypeFor('DEPOSIT', null)).toThrow('does not act on a holding');
  });

  it('uses 100 for options and 1 for stock', () => {
    expect(multiplierOf({ optionType: 'CALL', positionType: 'LC' })).toBe(100);
    expect(multiplierOf({ optionType: null, positionType: 'SP' })).toBe(100);
    expect(multiplierOf({ optionType: null, positionType: 'SHORT' })).toBe(1);
  });
});
