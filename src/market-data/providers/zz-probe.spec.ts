import { SyntheticMarketDataProvider } from './synthetic-provider';
it("probe", () => {
const p = new SyntheticMarketDataProvider({ seed: 7 });
const t0 = performance.now();
let mn = Infinity, mx = 0;
for (let i = 0; i < 500; i++) {
  const bars = p.dailyBars(`SYM${i}`, '2000-01-01' as any, '2027-12-31' as any);
  for (const b of bars) { mn = Math.min(mn, b.close); mx = Math.max(mx, b.close); }
}
console.log('500 syms bars ms', performance.now() - t0, mn, mx);
const p2 = new SyntheticMarketDataProvider({ seed: 8 });
const t1 = performance.now();
for (let i = 0; i < 500; i++) p2.closeOn(`SYM${i}`, '2027-12-31' as any);
console.log('500 syms closes only ms', performance.now() - t1);
const spy = p.dailyBars('SPY', '2000-01-01' as any, '2026-01-01' as any);
console.log(spy[0], spy[spy.length-1], spy.length);
});
