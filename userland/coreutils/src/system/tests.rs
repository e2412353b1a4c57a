use super::*;

#[test]
fn uname_fields_name_the_system() {
    let fields = uname_fields("box");
    assert_eq!(fields[0], ('s', "Wasmux".to_string()));
    assert_eq!(fields[1], ('n', "box".to_string()));
    assert_eq!(fields[2].1, env!("CARGO_PKG_VERSION"));
    assert_eq!(fields[4], ('m', "wasm32".to_string()));
}
