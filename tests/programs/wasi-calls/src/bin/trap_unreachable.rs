//! Executes `unreachable`: the runtime must end the program with a trap (a
//! message on stderr naming it, a non-zero status), not a crash of the host.

fn main() {
    println!("about to trap");
    std::hint::black_box(trap());
    guest::fail("survived unreachable");
}

#[inline(never)]
fn trap() {
    core::arch::wasm32::unreachable()
}
