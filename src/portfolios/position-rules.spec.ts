import { PositionDraft, validatePosition } from './position-rules';

const TODAY = '2025-06-30';
const stock: PositionDraft = { symbol: 'AAPL', quantity: 100, entry_price: 187.5, entry_date: '2025-03-03' };
const call: PositionDraft = {
  symbol: 'AAPL270617C00200000',
  quantity: 2,
  entry_price: 12.4,
  entry_date: '2025-01-15',
  position_type: 'LC',
  underlying_symbol: 'AAPL',
  strike_price: 200,
  expiration_date: '2027-06-17',
};

const check = (over: PositionDraft, base: PositionDraft = stock) => validatePosition({ ...base, ...over }, TODAY);
const fieldsOf = (over: PositionDraft, base: PositionDraft = stock) => check(over, base).errors.map((e) => e.field);

describe('validatePosition', () => {
  it('accepts a long stock and normalises it', () => {
    const { value, errors } = check({ symbol: ' brk.b ' });
    expect(errors).toEqual([]);
    expect(value).toEqual({
      symbol: 'BRK.B',
      quantity: 100,
      entryPrice: 187.5,
      entryDate: '2025-03-03',
      positionType: 'LONG',
      underlyingSymbol: null,
      strikePrice: null,
      expirationDate: null,
      impliedVolatility: null,
    });
  });

  it('infers the type: SHORT from a negative quantity, LC/SC/LP/SP from option_type and the sign', () => {
    expect(check({ quantity: -10 }).value?.positionType).toBe('SHORT');
    const opt = { ...call, position_type: undefined };
    expect(check({ option_type: 'call' }, opt).value?.positionType).toBe('LC');
    expect(check({ option_type: 'CALL', quantity: -2 }, opt).value?.positionType).toBe('SC');
    expect(check({ option_type: 'PUT' }, opt).value?.positionType).toBe('LP');
    expect(check({ option_type: 'Put', quantity: -1 }, opt).value?.positionType).toBe('SP');
    expect(check({ position_type: 'short', quantity: -5 }).value?.positionType).toBe('SHORT');
  });

  it('accepts options and keeps their fields, upper-casing the underlying', () => {
    const { value, errors } = check({ underlying_symbol: 'aapl', implied_volatility: 0.25 }, call);
    expect(errors).toEqual([]);
    expect(value).toMatchObject({ positionType: 'LC', underlyingSymbol: 'AAPL', strikePrice: 200, expirationDate: '2027-06-17', impliedVolatility: 0.25 });
  });

  describe('symbol', () => {
    it.each(['AA PL', 'AAPL$', 'ÄPFEL', 'A/B', 'ABCDEFGHIJKLM'])('rejects %j for a stock', (symbol) => {
      expect(fieldsOf({ symbol })).toEqual(['symbol']);
    });
    it('allows up to 12 characters for stocks and 21 for options', () => {
      expect(fieldsOf({ symbol: 'ABCDEFGHIJKL' })).toEqual([]);
      expect(fieldsOf({ symbol: 'A'.repeat(21) }, call)).toEqual([]);
      expect(fieldsOf({ symbol: 'A'.repeat(22) }, call)).toEqual(['symbol']);
    });
    it('is required', () => {
      expect(check({ symbol: undefined }).errors).toEqual([{ field: 'symbol', message: 'is required' }]);
      expect(fieldsOf({ symbol: '   ' })).toEqual(['symbol']);
    });
  });

  describe('quantity', () => {
    it.each([
      ['zero', 0],
      ['NaN', NaN],
      ['Infinity', Infinity],
      ['-Infinity', -Infinity],
      ['missing', undefined],
    ])('rejects %s', (_name, quantity) => {
      expect(fieldsOf({ quantity })).toContain('quantity');
    });

    it.each([
      ['LONG', -1],
      ['SHORT', 1],
    ])('needs the sign of %s (rejects %d)', (position_type, quantity) => {
      expect(check({ position_type, quantity }).errors).toEqual([{ field: 'quantity', message: expect.stringMatching(/^sign must match position_type/) }]);
    });

    it.each([
      ['LC', -1],
      ['LP', -1],
      ['SC', 1],
      ['SP', 1],
    ])('needs the sign of option type %s (rejects %d)', (position_type, quantity) => {
      expect(fieldsOf({ position_type, quantity }, call)).toEqual(['quantity']);
    });

    it('accepts fractional quantities', () => {
      expect(fieldsOf({ quantity: 0.5 })).toEqual([]);
    });
  });

  describe('prices', () => {
    it.each([0, -1, NaN, Infinity])('rejects entry_price %p', (entry_price) => {
      expect(fieldsOf({ entry_price })).toEqual(['entry_price']);
    });
    it.each([0, -200, NaN])('rejects strike_price %p on an option', (strike_price) => {
      expect(fieldsOf({ strike_price }, call)).toEqual(['strike_price']);
    });
  });

  describe('dates', () => {
    it.each(['2025-13-01', '2025-02-29', '2025-6-1', '06/01/2025', '2025-06-01T00:00:00Z', ''])('rejects entry_date %j', (entry_date) => {
      expect(fieldsOf({ entry_date })).toEqual(['entry_date']);
    });
    it('accepts a leap day and today; rejects tomorrow', () => {
      expect(fieldsOf({ entry_date: '2024-02-29' })).toEqual([]);
      expect(fieldsOf({ entry_date: TODAY })).toEqual([]);
      expect(check({ entry_date: '2025-07-01' }).errors).toEqual([{ field: 'entry_date', message: 'must not be in the future (today is 2025-06-30)' }]);
    });
    it('needs an option to expire after its entry date (an expired option is allowed)', () => {
      expect(fieldsOf({ expiration_date: '2025-01-15' }, call)).toEqual(['expiration_date']);
      expect(fieldsOf({ expiration_date: '2024-12-20' }, call)).toEqual(['expiration_date']);
      expect(fieldsOf({ expiration_date: '2025-01-16' }, call)).toEqual([]);
      expect(fieldsOf({ expiration_date: '2027-02-30' }, call)).toEqual(['expiration_date']);
    });
  });

  describe('option fields: required exactly when the type is an option', () => {
    it.each(['underlying_symbol', 'strike_price', 'expiration_date'] as const)('an option without %s is rejected', (field) => {
      expect(fieldsOf({ [field]: undefined }, call)).toEqual([field]);
      expect(fieldsOf({ [field]: null }, call)).toEqual([field]);
    });
    it.each([
      ['underlying_symbol', 'AAPL'],
      ['strike_price', 200],
      ['expiration_date', '2027-06-17'],
      ['option_type', 'CALL'],
    ])('a stock with %s is rejected', (field, value) => {
      expect(check({ position_type: 'LONG', [field]: value }).errors).toEqual([{ field, message: expect.stringContaining('only applies to options') }]);
    });
    it('empty or null option fields on a stock are fine', () => {
      expect(fieldsOf({ underlying_symbol: null, strike_price: null, expiration_date: null, option_type: '' })).toEqual([]);
    });
    it('rejects an option_type that contradicts position_type, and a malformed underlying', () => {
      expect(fieldsOf({ option_type: 'PUT' }, call)).toEqual(['option_type']);
      expect(fieldsOf({ underlying_symbol: 'AA PL' }, call)).toEqual(['underlying_symbol']);
    });
  });

  describe('implied_volatility', () => {
    it.each([0, -0.1, 5.0001, NaN])('rejects %p', (implied_volatility) => {
      expect(fieldsOf({ implied_volatility }, call)).toEqual(['implied_volatility']);
    });
    it.each([0.0001, 0.3, 5, null])('accepts %p', (implied_volatility) => {
      expect(fieldsOf({ implied_volatility }, call)).toEqual([]);
    });
  });

  it('rejects an unknown position_type without further type checks', () => {
    expect(fieldsOf({ position_type: 'CALL' })).toEqual(['position_type']);
  });

  it('reports every broken rule at once', () => {
    const { value, errors } = validatePosition({ symbol: 'BAD SYMBOL', quantity: 0, entry_price: -1, entry_date: '2099-01-01' }, TODAY);
    expect(value).toBeUndefined();
    expect(errors.map((e) => e.field).sort()).toEqual(['entry_date', 'entry_price', 'quantity', 'symbol']);
  });
});
