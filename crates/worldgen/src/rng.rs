//! The one source of randomness: ChaCha8 seeded from the world seed, with a separate stream per
//! purpose so that, for example, the agencies do not change when the report mix does.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub(crate) type WRng = ChaCha8Rng;

/// Streams: one per independent part of the world.
pub(crate) const STREAM_REPORTS: u64 = 2;
pub(crate) const STREAM_NUMBERS: u64 = 3;

pub(crate) fn rng_for(seed: u64, stream: u64) -> WRng {
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    r.set_stream(stream);
    r
}

/// A uniformly chosen element. The lists are the generator's own constants or pools that are
/// never empty when asked.
pub(crate) fn pick<'a, T>(rng: &mut WRng, xs: &'a [T]) -> &'a T {
    &xs[index(rng, xs.len())]
}

/// A uniform index below `n` (0 when `n` is 0).
pub(crate) fn index(rng: &mut WRng, n: usize) -> usize {
    if n <= 1 { 0 } else { rng.random_range(0..n) }
}

/// An element chosen by weight.
pub(crate) fn weighted<'a, T>(rng: &mut WRng, xs: &'a [(T, u32)]) -> &'a T {
    let total: u32 = xs.iter().map(|(_, w)| *w).sum();
    let mut x = if total == 0 {
        0
    } else {
        rng.random_range(0..total)
    };
    for (v, w) in xs {
        if x < *w {
            return v;
        }
        x -= w;
    }
    &xs[xs.len() - 1].0
}

/// True with probability `p`.
pub(crate) fn chance(rng: &mut WRng, p: f64) -> bool {
    rng.random_bool(p.clamp(0.0, 1.0))
}

/// A uniform integer in `lo..=hi`.
pub(crate) fn between(rng: &mut WRng, lo: u64, hi: u64) -> u64 {
    if hi <= lo {
        lo
    } else {
        rng.random_range(lo..=hi)
    }
}

/// A log-uniform amount between `lo` and `hi`, rounded to `round`: scam losses span orders of
/// magnitude. Integer arithmetic only (a geometric grid of 5% steps, uniform within a step),
/// so that no platform's `ln`/`exp` can change the bytes.
pub(crate) fn log_uniform(rng: &mut WRng, lo: u64, hi: u64, round: u64) -> u64 {
    let lo = lo.max(1);
    let mut steps = 0u64;
    let mut v = lo;
    while v < hi {
        v = (v * 105).div_ceil(100);
        steps += 1;
    }
    let k = between(rng, 0, steps.saturating_sub(1));
    let mut base = lo;
    for _ in 0..k {
        base = (base * 105).div_ceil(100);
    }
    let top = (base * 105).div_ceil(100).min(hi.max(lo));
    let x = between(rng, base, top.max(base));
    let r = round.max(1);
    (x / r).max(1) * r
}

/// Random bytes.
pub(crate) fn bytes<const N: usize>(rng: &mut WRng) -> [u8; N] {
    let mut b = [0u8; N];
    rng.fill(&mut b[..]);
    b
}

/// A bijection of `0..modulus`: `k -> (mul * k + add) mod modulus` with `mul` coprime to the
/// modulus. Deterministic, collision-free numbering that does not look sequential.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Permutation {
    modulus: u64,
    mul: u64,
    add: u64,
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Permutation {
    pub(crate) fn new(rng: &mut WRng, modulus: u64) -> Self {
        let modulus = modulus.max(2);
        let mut mul = rng.random_range(modulus / 3..modulus).max(1);
        while gcd(mul, modulus) != 1 {
            mul = if mul + 1 >= modulus { 1 } else { mul + 1 };
        }
        Self {
            modulus,
            mul,
            add: rng.random_range(0..modulus),
        }
    }

    pub(crate) fn apply(&self, k: u64) -> u64 {
        let m = u128::from(self.modulus);
        ((u128::from(k % self.modulus) * u128::from(self.mul) + u128::from(self.add)) % m) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permutation_is_a_bijection() {
        let mut rng = rng_for(7, 9);
        for m in [1000, 2500, 7 * 1000, 97] {
            let p = Permutation::new(&mut rng, m);
            let mut seen: Vec<u64> = (0..m).map(|k| p.apply(k)).collect();
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen.len() as u64, m);
        }
    }

    #[test]
    fn log_uniform_stays_in_range_and_spreads_over_decades() {
        let mut rng = rng_for(3, 4);
        let mut decades = [0u32; 4];
        for _ in 0..4000 {
            let x = log_uniform(&mut rng, 1_000, 10_000_000, 10);
            assert!((1_000..=10_000_000).contains(&x), "{x}");
            decades[(x.ilog10() - 3).min(3) as usize] += 1;
        }
        assert!(decades.iter().all(|d| *d > 700), "{decades:?}");
    }

    #[test]
    fn weighted_respects_zero_weights() {
        let mut rng = rng_for(1, 1);
        let xs = [("a", 0), ("b", 5)];
        for _ in 0..100 {
            assert_eq!(*weighted(&mut rng, &xs), "b");
        }
    }
}
