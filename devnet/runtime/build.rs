//! Builds the runtime's wasm blobs (what the chain actually executes) with substrate-wasm-builder:
//! the genesis runtime, and the same runtime with a bumped `spec_version` that the `admin
//! upgrade-runtime` command installs to test runtime upgrades.

fn main() {
    #[cfg(feature = "std")]
    {
        substrate_wasm_builder::WasmBuilder::init_with_defaults().build();
        substrate_wasm_builder::WasmBuilder::init_with_defaults()
            .set_file_name("wasm_binary_upgraded.rs")
            .enable_feature("upgraded-spec")
            .build();
    }
}
