//! The JSON test specification of the WASI testsuite (doc/specification.md in
//! its repository): the legacy form `{args, env, root, exit_code, stdout,
//! stderr}` and the operation-based form `{proposals, operations: [run, read,
//! wait, ...]}`, both reduced to one run with its expectations.

use serde_json::Value;

/// One test case: how to run it and what it must produce.
#[derive(Debug, Default, PartialEq)]
pub struct Spec {
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    /// A directory, relative to the test's, to preopen as "/".
    pub root: Option<String>,
    pub exit_code: i32,
    /// Expected stdout/stderr when the spec states them; unchecked otherwise.
    pub stdout: Option<String>,
    pub stderr: Option<String>,
    /// Why this runner cannot run the test (network operations, proposals).
    pub unsupported: Option<String>,
}

/// Parses a spec; `None` text means the test has no .json (the defaults).
pub fn parse(text: Option<&str>) -> Result<Spec, String> {
    let Some(text) = text else {
        return Ok(Spec::default());
    };
    let json: Value = serde_json::from_str(text).map_err(|error| format!("bad JSON: {error}"))?;
    let object = json.as_object().ok_or("the spec is not a JSON object")?;
    let mut spec = Spec::default();
    match object.get("operations").and_then(Value::as_array) {
        None => apply_run(&mut spec, &json)?,
        Some(operations) => {
            if let Some(proposals) = object.get("proposals").and_then(Value::as_array) {
                if !proposals.is_empty() {
                    spec.unsupported = Some(format!("needs proposals {proposals:?}"));
                }
            }
            for operation in operations {
                apply_operation(&mut spec, operation)?;
            }
        }
    }
    // Legacy fields: exit_code and outputs beside args/env/root.
    if let Some(code) = object.get("exit_code") {
        spec.exit_code = as_exit_code(code)?;
    }
    if let Some(stdout) = object.get("stdout") {
        spec.stdout = Some(as_string(stdout, "stdout")?);
    }
    if let Some(stderr) = object.get("stderr") {
        spec.stderr = Some(as_string(stderr, "stderr")?);
    }
    Ok(spec)
}

fn apply_operation(spec: &mut Spec, operation: &Value) -> Result<(), String> {
    match operation.get("type").and_then(Value::as_str) {
        Some("run") => apply_run(spec, operation),
        Some("wait") => {
            spec.exit_code = operation.get("exit_code").map_or(Ok(0), as_exit_code)?;
            Ok(())
        }
        Some("read") => {
            let payload = operation
                .get("payload")
                .map_or(Ok(String::new()), |value| as_string(value, "payload"))?;
            match operation
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("stdout")
            {
                "stderr" => spec.stderr = Some(payload),
                _ => spec.stdout = Some(payload),
            }
            Ok(())
        }
        Some(other) => {
            spec.unsupported = Some(format!(
                "operation {other:?} is not supported by this runner"
            ));
            Ok(())
        }
        None => Err("an operation without a type".into()),
    }
}

fn apply_run(spec: &mut Spec, run: &Value) -> Result<(), String> {
    if let Some(args) = run.get("args") {
        let args = args.as_array().ok_or("args is not an array")?;
        spec.args = args
            .iter()
            .map(|arg| as_string(arg, "an argument"))
            .collect::<Result<_, _>>()?;
    }
    if let Some(env) = run.get("env") {
        let env = env.as_object().ok_or("env is not an object")?;
        spec.env = env
            .iter()
            .map(|(key, value)| Ok((key.clone(), as_string(value, "an env value")?)))
            .collect::<Result<_, String>>()?;
    }
    if let Some(root) = run.get("root").filter(|root| !root.is_null()) {
        spec.root = Some(as_string(root, "root")?);
    }
    Ok(())
}

fn as_string(value: &Value, what: &str) -> Result<String, String> {
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("{what} is not a string"))
}

fn as_exit_code(value: &Value) -> Result<i32, String> {
    value
        .as_i64()
        .and_then(|code| i32::try_from(code).ok())
        .ok_or_else(|| "exit_code is not an integer".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_spec_means_defaults() {
        assert_eq!(parse(None), Ok(Spec::default()));
    }

    #[test]
    fn legacy_spec_is_read_whole() {
        let spec = parse(Some(
            r#"{"args":["a","b c"],"env":{"K":"v"},"root":"d","exit_code":3,"stdout":"hi"}"#,
        ));
        let expected = Spec {
            args: vec!["a".into(), "b c".into()],
            env: vec![("K".into(), "v".into())],
            root: Some("d".into()),
            exit_code: 3,
            stdout: Some("hi".into()),
            ..Spec::default()
        };
        assert_eq!(spec, Ok(expected));
    }

    #[test]
    fn operations_spec_gives_the_same_expectations() {
        let text = r#"{"operations":[{"type":"run","args":["x"]},{"type":"read","id":"stdout","payload":"out"},
                       {"type":"wait","exit_code":7}]}"#;
        let spec = parse(Some(text)).unwrap();
        assert_eq!(
            (spec.args, spec.stdout, spec.exit_code),
            (vec!["x".to_string()], Some("out".into()), 7)
        );
    }

    #[test]
    fn network_operations_are_unsupported() {
        let text = r#"{"proposals":["sockets"],"operations":[{"type":"run"},{"type":"connect"},{"type":"wait"}]}"#;
        assert!(parse(Some(text)).unwrap().unsupported.is_some());
    }
}
