/**
 * Small, fast, seedable random helpers for the synthetic provider. Nothing here
 * is cryptographic; everything is deterministic for a given seed.
 *
 * Math functions are bound to module constants: hot loops then avoid global
 * lookups, which are very slow inside Jest's VM sandbox.
 */
const { imul, sqrt, log, cos, sin, PI } = Math;
const TWO_PI = 2 * PI;

/** Murmur3 32-bit finaliser: a good avalanche for integer mixing. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over the UTF-16 code units of `text`, mixed with `salt`. */
export function hashString(text: string, salt = 0): number {
  let h = 0x811c9dc5 ^ fmix32(salt >>> 0);
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = imul(h, 0x01000193);
  }
  return fmix32(h >>> 0);
}

/** A uniform in [0, 1) from up to three integers, with no state. */
export function hashUniform(a: number, b: number, c = 0): number {
  const h = fmix32((fmix32((a ^ 0x9e3779b9) >>> 0) + imul(b, 0x85ebca6b) + imul(c, 0x27d4eb2f)) >>> 0);
  return h / 4294967296;
}

/** Two independent standard normals from hashed uniforms (Box–Muller); `out` receives them. */
export function hashNormals(a: number, b: number, c: number, out: Float64Array): void {
  const u1 = hashUniform(a, b, c * 2 + 1) || 1e-12;
  const angle = TWO_PI * hashUniform(a, b, c * 2 + 2);
  const radius = sqrt(-2 * log(u1));
  out[0] = radius * cos(angle);
  out[1] = radius * sin(angle);
}

/** mulberry32: 32-bit state, period 2^32, fast and good enough for simulation. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normals from a seeded mulberry32 stream (Box–Muller, both values used). */
export class NormalStream {
  private state: number;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  private uniform(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  next(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u1 = this.uniform();
    while (u1 <= 1e-12) u1 = this.uniform();
    const radius = sqrt(-2 * log(u1));
    const angle = TWO_PI * this.uniform();
    this.spare = radius * sin(angle);
    this.hasSpare = true;
    return radius * cos(angle);
  }
}
