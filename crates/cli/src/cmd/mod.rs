pub mod demo;
pub mod extract;
pub mod normalize;
pub mod output;
