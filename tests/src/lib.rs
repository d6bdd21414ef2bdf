//! Shared helpers of the Stratus test suites.
