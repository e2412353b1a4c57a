//! [`SyncAccess`] for the browser's `FileSystemSyncAccessHandle`.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{FileSystemReadWriteOptions, FileSystemSyncAccessHandle};

use crate::{HandleError, SyncAccess};

/// The name and message of a thrown DOMException (or whatever was thrown).
fn describe(error: JsValue) -> HandleError {
    let field = |name: &str| {
        js_sys::Reflect::get(&error, &JsValue::from_str(name))
            .ok()
            .and_then(|value| value.as_string())
    };
    match field("name").as_deref() {
        Some("QuotaExceededError") => HandleError::Quota,
        Some(name) => {
            HandleError::Other(format!("{name}: {}", field("message").unwrap_or_default()))
        }
        None => HandleError::Other(
            error
                .dyn_ref::<js_sys::Object>()
                .map(|object| String::from(object.to_string()))
                .unwrap_or_else(|| format!("{error:?}")),
        ),
    }
}

fn at(offset: u64) -> FileSystemReadWriteOptions {
    let options = FileSystemReadWriteOptions::new();
    // Offsets stay below 2^53 (OpfsStore checks), so the double is exact.
    options.set_at(offset as f64);
    options
}

/// A count the browser returned as a double.
fn count(value: f64) -> usize {
    if value.is_finite() && value > 0.0 {
        value as usize
    } else {
        0
    }
}

impl SyncAccess for FileSystemSyncAccessHandle {
    fn read(&self, buf: &mut [u8], offset: u64) -> Result<usize, HandleError> {
        self.read_with_u8_array_and_options(buf, &at(offset))
            .map(count)
            .map_err(describe)
    }

    fn write(&self, data: &[u8], offset: u64) -> Result<usize, HandleError> {
        self.write_with_u8_array_and_options(data, &at(offset))
            .map(count)
            .map_err(describe)
    }

    fn size(&self) -> Result<u64, HandleError> {
        self.get_size()
            .map(|size| count(size) as u64)
            .map_err(describe)
    }

    fn truncate(&self, size: u64) -> Result<(), HandleError> {
        self.truncate_with_f64(size as f64).map_err(describe)
    }

    fn flush(&self) -> Result<(), HandleError> {
        FileSystemSyncAccessHandle::flush(self).map_err(describe)
    }
}
