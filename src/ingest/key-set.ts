// A compact set of string keys by 64-bit hash, to find rows that repeat an earlier row's key
// (a report with an extra breakdown such as device repeats date+campaign, and an upsert would
// silently keep only the last row). 16 bytes per key at most (open addressing, load ≤ 0.5)
// instead of a string per key: a million-row file costs ~32 MB, not hundreds. Two different keys
// collide with probability ~n²/2⁶⁵ (3·10⁻⁸ for a million rows); a collision would reject the
// file with a "duplicate" reason, never write wrong data.

export class KeySet {
  private table: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1024) {
    let cap = 1024;
    while (cap < initialCapacity * 2) cap *= 2;
    this.table = new Uint32Array(cap * 2);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Adds `key`; false when it was already there. */
  add(key: string): boolean {
    hash64(key);
    if (this.insert(hashed.h1, hashed.h2)) {
      this.count++;
      if (this.count * 2 > this.mask + 1) this.grow();
      return true;
    }
    return false;
  }

  private insert(h1: number, h2: number): boolean {
    const t = this.table;
    let i = h1 & this.mask;
    for (;;) {
      const a = t[i * 2]!;
      const b = t[i * 2 + 1]!;
      if (a === 0 && b === 0) {
        t[i * 2] = h1;
        t[i * 2 + 1] = h2;
        return true;
      }
      if (a === h1 && b === h2) return false;
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Uint32Array(old.length * 2);
    this.mask = old.length - 1;
    for (let i = 0; i < old.length; i += 2) {
      const a = old[i]!;
      const b = old[i + 1]!;
      if (a !== 0 || b !== 0) this.insert(a, b);
    }
  }
}

/** hash64's result (one object reused: the importer hashes a key per row). */
const hashed = { h1: 0, h2: 0 };

/** Two independent 32-bit hashes (FNV-1a and a multiplicative one, each avalanched) into `hashed`. Never 0,0. */
function hash64(s: string): void {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  h1 = fmix(h1 ^ s.length) >>> 0;
  h2 = fmix(h2 ^ Math.imul(s.length, 0x27d4eb2d)) >>> 0;
  if (h1 === 0 && h2 === 0) h2 = 1;
  hashed.h1 = h1;
  hashed.h2 = h2;
}

function fmix(h: number): number {
  let x = h;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x;
}
