//! A benchmark figure and how it is printed.

use serde::Serialize;

/// One measured figure with its reference from the same run.
#[derive(Clone, Debug, Serialize)]
pub struct Figure {
    pub name: String,
    pub value: f64,
    pub unit: &'static str,
    /// What the value is compared with, in the same unit.
    pub reference: f64,
    /// value / reference for times and counts where lower is better is not
    /// used: the ratio is always "how many references is the value",
    /// value / reference; the line says which direction is good.
    pub ratio: f64,
    /// What the reference is, in words.
    #[serde(skip)]
    pub reference_is: &'static str,
    /// The target from the issue, in words.
    #[serde(skip)]
    pub target: &'static str,
}

impl Figure {
    pub fn new(
        name: &str,
        value: f64,
        unit: &'static str,
        reference: f64,
        reference_is: &'static str,
        target: &'static str,
    ) -> Figure {
        let ratio = if reference > 0.0 {
            value / reference
        } else {
            f64::NAN
        };
        Figure {
            name: name.to_string(),
            value,
            unit,
            reference,
            ratio,
            reference_is,
            target,
        }
    }

    /// `name  value unit  (reference: X unit, what; ratio R; target T)`.
    pub fn line(&self) -> String {
        format!(
            "{:<28} {:>12.3} {:<5} reference {:>12.3} {:<5} ({}); ratio {:.3}; target {}",
            self.name,
            self.value,
            self.unit,
            self.reference,
            self.unit,
            self.reference_is,
            self.ratio,
            self.target
        )
    }
}

/// The median of `samples` (sorted in place).
pub fn median(samples: &mut [f64]) -> f64 {
    samples.sort_by(f64::total_cmp);
    match samples.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => samples[n / 2],
        n => (samples[n / 2 - 1] + samples[n / 2]) / 2.0,
    }
}
