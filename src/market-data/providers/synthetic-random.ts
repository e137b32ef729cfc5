/**
 * Small, fast, seedable random helpers for the synthetic provider. Nothing here
 * is cryptographic; everything is deterministic for a given seed.
 */

/** Murmur3 32-bit finaliser: a good avalanche for integer mixing. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over the UTF-16 code units of `text`, mixed with `salt`. */
export function hashString(text: string, salt = 0): number {
  let h = 0x811c9dc5 ^ fmix32(salt >>> 0);
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h >>> 0);
}

/** A uniform in [0, 1) from up to three integers, with no state. */
export function hashUniform(a: number, b: number, c = 0): number {
  const h = fmix32((fmix32((a ^ 0x9e3779b9) >>> 0) + Math.imul(b, 0x85ebca6b) + Math.imul(c, 0x27d4eb2f)) >>> 0);
  return h / 4294967296;
}

/** A standard normal from hashed uniforms (Box–Muller, first branch). */
export function hashNormal(a: number, b: number, c: number): number {
  const u1 = hashUniform(a, b, c * 2 + 1) || 1e-12;
  const u2 = hashUniform(a, b, c * 2 + 2);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** mulberry32: 32-bit state, period 2^32, fast and good enough for simulation. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normals from a seeded uniform stream (Box–Muller, both values used). */
export class NormalStream {
  private readonly uniform: () => number;
  private spare: number | null = null;

  constructor(seed: number) {
    this.uniform = mulberry32(seed);
  }

  next(): number {
    if (this.spare !== null) {
      const value = this.spare;
      this.spare = null;
      return value;
    }
    let u1 = this.uniform();
    while (u1 <= 1e-12) u1 = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u1));
    const angle = 2 * Math.PI * this.uniform();
    this.spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }
}
