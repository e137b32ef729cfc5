import { asCalendarDate } from '../common/branded';
import { planActionFetch } from './action-coverage';

const d = asCalendarDate;
const stored = { symbol: 'X', from: d('2024-01-01'), to: d('2024-12-31') };

describe('planActionFetch', () => {
  it('fetches everything for a symbol never fetched', () => {
    expect(planActionFetch('X', undefined, d('2024-03-01'), d('2024-06-30'))).toEqual({
      ranges: [{ from: '2024-03-01', to: '2024-06-30' }], covered: { symbol: 'X', from: '2024-03-01', to: '2024-06-30' },
    });
  });

  it('fetches nothing inside the coverage, and only the sides outside it', () => {
    expect(planActionFetch('X', stored, d('2024-03-01'), d('2024-06-30')).ranges).toEqual([]);
    expect(planActionFetch('X', stored, d('2023-06-01'), d('2025-02-28'))).toEqual({
      ranges: [{ from: '2023-06-01', to: '2023-12-31' }, { from: '2025-01-01', to: '2025-02-28' }],
      covered: { symbol: 'X', from: '2023-06-01', to: '2025-02-28' },
    });
  });

  it('fetches the gap to a disjoint request so coverage stays one range; force refetches the union', () => {
    expect(planActionFetch('X', stored, d('2026-03-01'), d('2026-03-31')).ranges).toEqual([{ from: '2025-01-01', to: '2026-03-31' }]);
    expect(planActionFetch('X', stored, d('2024-03-01'), d('2025-01-31'), true).ranges).toEqual([{ from: '2024-01-01', to: '2025-01-31' }]);
  });
});
