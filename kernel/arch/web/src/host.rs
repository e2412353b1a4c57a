//! Host services from the browser: `performance` clocks and `crypto`.

use wasm_bindgen::{JsCast, JsValue};
use wasmux_uapi::{ClockId, Timestamp};
use wasmux_wasi::Host;

/// Clocks and randomness of the Worker's global scope.
#[derive(Debug)]
pub struct WebHost {
    performance: web_sys::Performance,
    crypto: web_sys::Crypto,
}

fn global(name: &str) -> Result<JsValue, String> {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str(name))
        .ok()
        .filter(|value| !value.is_undefined())
        .ok_or_else(|| format!("this browser has no `{name}` in Workers"))
}

fn nanos(millis: f64) -> Timestamp {
    if millis.is_finite() && millis > 0.0 {
        (millis * 1e6) as Timestamp
    } else {
        0
    }
}

impl WebHost {
    /// The host of the current global scope.
    /// Errors: `performance` or `crypto` is missing.
    pub fn new() -> Result<WebHost, String> {
        Ok(WebHost {
            performance: global("performance")?.unchecked_into(),
            crypto: global("crypto")?.unchecked_into(),
        })
    }
}

impl Host for WebHost {
    fn realtime(&self) -> Timestamp {
        nanos(self.performance.time_origin() + self.performance.now())
    }

    fn monotonic(&self) -> Timestamp {
        // Start at 1 s so that "time 0" is never a real reading (as natively).
        nanos(self.performance.now()).saturating_add(1_000_000_000)
    }

    fn resolution(&self, clock: ClockId) -> Timestamp {
        match clock {
            // Browsers coarsen performance.now() to 5-100 us.
            ClockId::Realtime | ClockId::Monotonic => 5_000,
            ClockId::ProcessCputime | ClockId::ThreadCputime => 5_000,
        }
    }

    fn random(&self, buf: &mut [u8]) {
        // getRandomValues fills at most 64 KiB per call.
        for chunk in buf.chunks_mut(65_536) {
            if self.crypto.get_random_values_with_u8_array(chunk).is_err() {
                // Predictable bytes must never pass for random ones.
                wasm_bindgen::throw_str("crypto.getRandomValues failed");
            }
        }
    }
}

impl wasmux_fs::Clock for WebHost {
    fn now(&self) -> Timestamp {
        self.realtime()
    }
}
