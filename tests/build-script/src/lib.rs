//! Truv's client, generated while this crate builds (see `build.rs`).

include!(concat!(env!("OUT_DIR"), "/truv_client.rs"));

#[cfg(test)]
mod tests {
    /// The included code is the client: it builds, checks a value before any network I/O, and
    /// its types decode what the API sends.
    #[tokio::test]
    async fn the_included_client_works() {
        let client = crate::Client::new("key-id", "secret")
            .unwrap()
            .with_base_url("http://127.0.0.1:9")
            .unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:9");
        let hook: crate::types::Webhook = serde_json::from_value(serde_json::json!({
            "id": "w1", "name": "n", "webhook_url": "https://example.com/hook", "events": [],
            "env_type": "sandbox", "created_at": "2024-05-01T12:30:00Z",
            "updated_at": "2024-05-01T12:30:00Z"
        }))
        .unwrap();
        assert_eq!(hook.id, "w1");
    }

    /// The same text as the committed crate's: one code path, one output.
    #[test]
    fn the_included_code_is_the_committed_client_inlined() {
        let generated = include_str!(concat!(env!("OUT_DIR"), "/truv_client.rs"));
        assert!(generated.contains("pub mod types {"));
        let committed = include_str!("../../../generated-client/src/types.rs");
        let first_type = committed
            .lines()
            .find(|l| l.starts_with("pub struct "))
            .unwrap();
        assert!(generated.contains(first_type.trim()), "{first_type}");
    }
}
