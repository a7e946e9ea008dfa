//! Builds the runtime's wasm blob (what the chain actually executes) with substrate-wasm-builder.

fn main() {
    #[cfg(feature = "std")]
    substrate_wasm_builder::WasmBuilder::build_using_defaults();
}
