/**
 * Standard normal density and cumulative distribution.
 *
 * The CDF is Hart's (1968) double-precision algorithm as published by Graeme
 * West, "Better approximations to cumulative normal functions" (Wilmott
 * Magazine, 2005): absolute error below 1e-14 over the real line.
 */
const INV_SQRT_2PI = 0.3989422804014327;

export function normPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

export function normCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const z = Math.abs(x);
  let tailProbability: number;
  if (z > 37) {
    tailProbability = 0;
  } else if (z < 7.07106781186547) {
    const e = Math.exp(-0.5 * z * z);
    let num = 3.52624965998911e-2 * z + 0.700383064443688;
    num = num * z + 6.37396220353165;
    num = num * z + 33.912866078383;
    num = num * z + 112.079291497871;
    num = num * z + 221.213596169931;
    num = num * z + 220.206867912376;
    let den = 8.83883476483184e-2 * z + 1.75566716318264;
    den = den * z + 16.064177579207;
    den = den * z + 86.7807322029461;
    den = den * z + 296.564248779674;
    den = den * z + 637.333633378831;
    den = den * z + 793.826512519948;
    den = den * z + 440.413735824752;
    tailProbability = (e * num) / den;
  } else {
    const e = Math.exp(-0.5 * z * z);
    let b = z + 0.65;
    b = z + 4 / b;
    b = z + 3 / b;
    b = z + 2 / b;
    b = z + 1 / b;
    tailProbability = e / b / 2.506628274631;
  }
  return x > 0 ? 1 - tailProbability : tailProbability;
}
