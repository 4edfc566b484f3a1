//! The client generated from what FastAPI itself publishes for `tests/fastapi/app.py`, calling
//! that app as uvicorn serves it on 127.0.0.1.
//!
//! `cargo xtask fastapi` dumps the app's `openapi.json` with the pinned FastAPI, generates
//! `fastapi-kennel` from it and runs these tests, telling them (in `FASTAPI_PYTHON`,
//! `FASTAPI_APP_DIR` and `FASTAPI_OPENAPI`) where the pinned Python, the app and the dumped
//! document are. Each test starts its own server (`serve.py`: a port the system chooses, an
//! empty kennel) and stops it when it ends; the server also exits when the test process dies,
//! as its stdin then closes.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use fastapi_kennel::types::{
    BodyUploadPhotoDogsDogIdPhotoPost, Dog, Error404Or422, LocationItem, NewDog, Owner, Size,
};
use fastapi_kennel::{Client, Error, FilePart, OrUnknown, reqwest, serde_json};

/// How long the app may take to import, bind and answer.
const STARTUP: Duration = Duration::from_secs(60);

/// One running app; dropping it stops the server.
struct App {
    server: Child,
    base_url: String,
}

impl App {
    /// Starts `serve.py` and waits until the app answers.
    async fn start() -> Self {
        let mut server = Command::new(setting("FASTAPI_PYTHON"))
            .args(["-B", "serve.py"])
            .current_dir(setting("FASTAPI_APP_DIR"))
            // Held open by `server` (never written to): its closing stops the app.
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("cannot start tests/fastapi/serve.py");
        let stdout = server.stdout.take().expect("stdout is piped");
        let (sender, port) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let read = BufReader::new(stdout).read_line(&mut line);
            let _ = sender.send(read.map(|_| line));
        });
        let line = port
            .recv_timeout(STARTUP)
            .expect("serve.py printed no port in time")
            .expect("cannot read serve.py's stdout");
        let port: u16 = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("serve.py printed {line:?}, not a port"));
        let app = Self {
            server,
            base_url: format!("http://127.0.0.1:{port}"),
        };
        app.wait_until_ready().await;
        app
    }

    async fn wait_until_ready(&self) {
        let started = Instant::now();
        loop {
            let answer = self.get("/openapi.json").await;
            if answer.is_ok_and(|response| response.status().is_success()) {
                return;
            }
            assert!(
                started.elapsed() < STARTUP,
                "the app did not answer in time"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// A request that does not go through the generated client.
    async fn get(&self, path: &str) -> reqwest::Result<reqwest::Response> {
        reqwest::get(format!("{}{path}", self.base_url)).await
    }

    fn client(&self) -> Client {
        Client::new(&self.base_url).unwrap()
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

fn setting(name: &str) -> String {
    std::env::var(name)
        .unwrap_or_else(|_| panic!("{name} is not set: run these tests with `cargo xtask fastapi`"))
}

fn new_dog(name: &str, size: Size) -> NewDog {
    NewDog::builder().name(name).size(size).build().unwrap()
}

#[tokio::test]
async fn the_app_serves_the_document_the_crate_was_generated_from() {
    let app = App::start().await;
    let served = app
        .get("/openapi.json")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let served: serde_json::Value = serde_json::from_str(&served).unwrap();
    let dumped = std::fs::read_to_string(setting("FASTAPI_OPENAPI")).unwrap();
    let dumped: serde_json::Value = serde_json::from_str(&dumped).unwrap();
    assert_eq!(served, dumped);
    assert_eq!(served["openapi"], "3.1.0");
}

#[tokio::test]
async fn optional_fields_go_and_come_back_present_or_absent() {
    let app = App::start().await;
    let client = app.client();

    let rex = client
        .create_dog_dogs_post(&new_dog("Rex", Size::Small))
        .await
        .unwrap();
    assert_eq!(rex.id, 1);
    assert_eq!(rex.name, "Rex");
    assert_eq!(rex.size, OrUnknown::Known(Size::Small));
    assert_eq!(rex.owner, None);
    assert_eq!(rex.age, None);
    // FastAPI writes the default out: the field is optional in its description, present here.
    assert_eq!(rex.tags, Some(Vec::new()));

    let owner = Owner::builder()
        .name("Ada")
        .phone("+44 20 7946 0000")
        .build()
        .unwrap();
    let bella = NewDog::builder()
        .name("Bella")
        .size(Size::Large)
        .owner(owner.clone())
        .age(3)
        .tags(vec!["calm".to_owned(), "fetches".to_owned()])
        .build()
        .unwrap();
    let bella = client.create_dog_dogs_post(&bella).await.unwrap();
    assert_eq!(bella.id, 2);
    assert_eq!(bella.size, OrUnknown::Known(Size::Large));
    assert_eq!(bella.owner, Some(owner));
    assert_eq!(bella.age, Some(3));
    assert_eq!(
        bella.tags.as_deref(),
        Some(&["calm".to_owned(), "fetches".to_owned()][..])
    );

    // A nested model whose own optional field is absent.
    let max = NewDog::builder()
        .name("Max")
        .size(Size::Medium)
        .owner(Owner::new("Grace".to_owned()))
        .build()
        .unwrap();
    let max = client.create_dog_dogs_post(&max).await.unwrap();
    let owner = max.owner.as_ref().unwrap();
    assert_eq!(
        (owner.name.as_str(), owner.phone.as_deref()),
        ("Grace", None)
    );

    assert_eq!(client.get_dog_dogs_dog_id_get(2).await.unwrap(), bella);
    let all: Vec<Dog> = client.list_dogs_dogs_get().await.unwrap();
    assert_eq!(all, [rex, bella.clone(), max.clone()]);
    // The enum as a query parameter.
    let large = client.list_dogs_dogs_get().size(Size::Large).await.unwrap();
    assert_eq!(large, [bella]);
    let medium = client
        .list_dogs_dogs_get()
        .size(Size::Medium)
        .await
        .unwrap();
    assert_eq!(medium, [max]);
}

#[tokio::test]
async fn a_photo_is_uploaded_as_a_file_part() {
    let app = App::start().await;
    let client = app.client();
    let rex = client
        .create_dog_dogs_post(&new_dog("Rex", Size::Small))
        .await
        .unwrap();

    let png = b"\x89PNG\r\n\x1a\n not really a picture".to_vec();
    let body = BodyUploadPhotoDogsDogIdPhotoPost::builder()
        .photo(
            FilePart::new(png.clone())
                .with_file_name("rex.png")
                .with_content_type("image/png"),
        )
        .caption("Rex, asleep")
        .build()
        .unwrap();
    let photo = client
        .upload_photo_dogs_dog_id_photo_post(rex.id, &body)
        .await
        .unwrap();
    assert_eq!(photo.dog_id, rex.id);
    assert_eq!(photo.filename.as_deref(), Some("rex.png"));
    assert_eq!(photo.content_type.as_deref(), Some("image/png"));
    assert_eq!(photo.size, i64::try_from(png.len()).unwrap());
    assert_eq!(photo.caption.as_deref(), Some("Rex, asleep"));

    // The optional form field left out.
    let body = BodyUploadPhotoDogsDogIdPhotoPost::new(
        FilePart::new(b"GIF89a".to_vec()).with_file_name("r.gif"),
    );
    let photo = client
        .upload_photo_dogs_dog_id_photo_post(rex.id, &body)
        .await
        .unwrap();
    assert_eq!((photo.size, photo.caption), (6, None));
    assert_eq!(photo.filename.as_deref(), Some("r.gif"));
}

#[tokio::test]
async fn an_unknown_dog_is_the_documented_404() {
    let app = App::start().await;
    let client = app.client();

    let error = client.get_dog_dogs_dog_id_get(41).await.unwrap_err();
    let Error::Api(api) = error else {
        panic!("an API error: {error:?}");
    };
    assert_eq!(api.status().as_u16(), 404);
    assert_eq!(api.body(), r#"{"detail":"no dog 41"}"#);
    let Some(Error404Or422::NotFound(not_found)) = api.error_body() else {
        panic!("a typed 404: {:?}", api.error_body());
    };
    assert_eq!(not_found.detail, "no dog 41");

    // The upload documents the same 404.
    let body = BodyUploadPhotoDogsDogIdPhotoPost::new(FilePart::new(b"x".to_vec()));
    let error = client
        .upload_photo_dogs_dog_id_photo_post(7, &body)
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    let Error::Api(api) = error else {
        panic!("an API error: {error:?}");
    };
    assert!(
        matches!(api.error_body(), Some(Error404Or422::NotFound(n)) if n.detail == "no dog 7"),
        "{api:?}"
    );
}

#[tokio::test]
async fn input_the_server_refuses_is_an_http_validation_error() {
    let app = App::start().await;
    let client = app.client();

    // One to 40 characters, as the description says, so the client sends it; the app's own
    // validator refuses a blank name.
    let error = client
        .create_dog_dogs_post(&new_dog("   ", Size::Small))
        .await
        .unwrap_err();
    let Error::Api(api) = error else {
        panic!("an API error: {error:?}");
    };
    assert_eq!(api.status().as_u16(), 422);
    let problem = &api.error_body().unwrap().detail.as_ref().unwrap()[0];
    assert_eq!(
        problem.loc,
        [
            LocationItem::String("body".to_owned()),
            LocationItem::String("name".to_owned())
        ]
    );
    assert_eq!(problem.msg, "Value error, a name must not be blank");
    assert_eq!(problem.r#type, "value_error");
    assert_eq!(problem.input, Some(serde_json::json!("   ")));

    // What the description does say (`age` greater than 0) the client refuses itself, before
    // any request, naming the field.
    let refused = NewDog::builder()
        .name("Pup")
        .size(Size::Small)
        .age(0)
        .build()
        .unwrap_err();
    assert_eq!(refused.field(), "NewDog.age");
    // The app saw neither dog.
    assert_eq!(client.list_dogs_dogs_get().await.unwrap(), []);

    // FastAPI's 422 for a query value the client's enum cannot send, in the client's type.
    let response = app.get("/dogs?size=huge").await.unwrap();
    assert_eq!(response.status().as_u16(), 422);
    let refused: fastapi_kennel::types::HttpValidationError =
        serde_json::from_str(&response.text().await.unwrap()).unwrap();
    let problem = &refused.detail.unwrap()[0];
    assert_eq!(problem.r#type, "enum");
    assert_eq!(
        problem.loc,
        [
            LocationItem::String("query".to_owned()),
            LocationItem::String("size".to_owned())
        ]
    );
}
