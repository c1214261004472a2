//! The triage engine: pure functions from PR files to fingerprints, scores and evidence.
//!
//! No I/O, no clock, no environment: every input is a plain value, so the engine is
//! deterministic and exhaustively testable.
