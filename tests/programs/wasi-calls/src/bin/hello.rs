//! The smallest useful program: one line on stdout, exit status 0.

fn main() {
    println!("hello, world");
}
