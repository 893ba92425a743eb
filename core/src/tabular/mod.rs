//! Tables of text: CSV written for spreadsheets (and, later, the readers of tabular input).
pub mod write;
