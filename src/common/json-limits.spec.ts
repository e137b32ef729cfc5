import { checkJsonShape, JsonShapeError } from './json-limits';
import { numericColumnProblem, NUMERIC_20_6, parseDecimal } from './numeric-input';
import { findControlCharacter } from './text-input';

const shape = (text: string, depth = 3, array = 3) => () => checkJsonShape(Buffer.from(text), depth, array);

describe('checkJsonShape', () => {
  it('counts depth over objects and arrays, not inside strings', () => {
    expect(shape('[[["x"]]]')).not.toThrow();
    expect(shape('[[[[1]]]]')).toThrow('JSON nested too deeply');
    expect(shape('{"a":{"b":{"c":{}}}}')).toThrow(JsonShapeError);
    expect(shape('["[[[[", "\\"[[[["]')).not.toThrow();
  });

  it('counts elements per array: commas of nested values and objects do not count', () => {
    expect(shape('[1,2,3]')).not.toThrow();
    expect(shape('[1,2,3,4]')).toThrow('JSON array too long (at most 3 elements)');
    expect(shape('[[1,2],[3],{"a":1,"b":2,"c":3,"d":4}]')).not.toThrow();
    expect(shape('{"a":1,"b":2,"c":3,"d":4,"e":5}')).not.toThrow();
  });
});

describe('numericColumnProblem (numeric(20,6))', () => {
  it.each([0, 1e-6, 5e-7, -5e-7, 99_999_999_999_999.98, 187.5])('%p fits', (v) => expect(numericColumnProblem(v, NUMERIC_20_6)).toBeNull());
  it.each([1e-7, -4.9e-7, 1e14, -1e14, Infinity, NaN])('%p does not', (v) => expect(numericColumnProblem(v, NUMERIC_20_6)).not.toBeNull());
});

describe('parseDecimal', () => {
  it.each([['1', 1], ['-0.5', -0.5], ['.5', 0.5], ['1e3', 1000], ['1.5E-2', 0.015]])('%p → %p', (t, n) => expect(parseDecimal(t)).toBe(n));
  it.each(['0x10', '0b1', '0o7', '+1', 'Infinity', 'NaN', '1e999', '', ' 1', '1,5', '1_0'])('%p is not a decimal', (t) => expect(parseDecimal(t)).toBeNull());
});

describe('findControlCharacter', () => {
  it('names the first field holding one, keys included', () => {
    expect(findControlCharacter({ a: 'ok', b: [{ name: 'x\u0000' }] })).toBe('b[0].name');
    expect(findControlCharacter({ ['k\u0001']: 1 })).toBe('k\u0001');
    expect(findControlCharacter({ name: 'plain', n: 1, nil: null })).toBeNull();
  });

  it('lets multi-line fields keep tab and newlines, never NUL', () => {
    expect(findControlCharacter({ notes: 'two\nlines\tok' })).toBeNull();
    expect(findControlCharacter({ name: 'two\nlines' })).toBe('name');
    expect(findControlCharacter({ notes: 'nul\u0000' })).toBe('notes');
  });
});
