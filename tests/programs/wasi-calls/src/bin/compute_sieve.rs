//! A CPU-bound kernel for benchmarks: the sieve of Eratosthenes.
//!
//! `compute_sieve [LIMIT] [ROUNDS]` sieves the numbers below LIMIT (default
//! 10,000,000) ROUNDS times (default 14, about 1 s on V8 on this machine) and
//! prints the count of primes and a checksum of them, the same on every runtime.

fn sieve(limit: usize) -> (u64, u64) {
    let mut composite = vec![false; limit];
    let mut count = 0u64;
    let mut checksum = 0u64;
    for number in 2..limit {
        if composite[number] {
            continue;
        }
        count += 1;
        checksum = checksum.wrapping_mul(31).wrapping_add(number as u64);
        let mut multiple = number * number;
        while multiple < limit {
            composite[multiple] = true;
            multiple += number;
        }
    }
    (count, checksum)
}

fn argument(index: usize, default: usize) -> usize {
    match std::env::args().nth(index) {
        None => default,
        Some(text) => text
            .parse()
            .unwrap_or_else(|_| guest::fail(&format!("not a number: {text}"))),
    }
}

fn main() {
    let limit = argument(1, 10_000_000);
    let rounds = argument(2, 14).max(1);
    let mut result = (0, 0);
    for round in 0..rounds {
        let this = sieve(std::hint::black_box(limit));
        guest::check(
            round == 0 || this == result,
            "every round gives the same answer",
        );
        result = this;
    }
    println!("primes below {limit}: {}", result.0);
    println!("checksum: {:016x}", result.1);
}
