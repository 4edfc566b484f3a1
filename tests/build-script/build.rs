//! Generates Truv's client into OUT_DIR with the generator's library, from the settings the
//! committed client is generated with.

fn main() {
    generator::build_script::Build::new("../../spec/truv-webhooks.yaml")
        .config("../../spec/generator.toml")
        .run()
        .unwrap_or_else(|e| panic!("{e}"));
}
