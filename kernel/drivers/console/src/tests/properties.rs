//! Properties of the discipline over random input.
