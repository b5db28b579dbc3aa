//! `host-sim train --web`: the training mode in a browser, for a class.
//!
//! A local web server (axum on tokio) serves the same lessons, right
//! answers and scoring ([`crate::scoring`]) as the terminal UI. A trainee
//! starts with a name only; each answer is stored in SQLite before its
//! feedback is shown, so a trainee can stop and resume; the instructor's
//! page (scores per trainee, error rate per question, CSV) needs the token
//! printed at startup. Every page and asset is in the binary: nothing is
//! fetched from outside.
//!
//! - [`class`]: the lessons with their screens, the database, the token;
//! - [`store`]: the SQLite tables of trainees and answers;
//! - [`routes`]: addresses, request checks, the order of work;
//! - [`pages`], [`documents`]: the HTML (the counter, the documents as they look);
//! - [`export`]: the CSV.

pub mod class;
pub mod documents;
pub mod export;
pub mod pages;
pub mod routes;
pub mod store;

use crate::train::TrainError;
use class::{Class, Token};
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use store::{Store, StoreError};

pub use routes::router;

/// Default listening address (this computer only) and database file.
pub use crate::cli::{WEB_DEFAULT_ADDR as DEFAULT_ADDR, WEB_DEFAULT_DB as DEFAULT_DB};

/// Why the web training could not start or stopped.
#[derive(Debug)]
pub enum WebError {
    /// The pack could not be read.
    Pack(TrainError),
    /// The database could not be opened.
    Store(StoreError),
    /// `--addr` is not an address.
    Addr(String),
    /// The address could not be listened on.
    Listen {
        /// The address.
        addr: SocketAddr,
        /// The system's message.
        message: String,
    },
    /// The server failed.
    Serve(String),
}

impl fmt::Display for WebError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Pack(e) => write!(f, "{e}"),
            Self::Store(e) => write!(f, "{e}"),
            Self::Addr(a) => write!(f, "--addr {a}: not an address (e.g. 127.0.0.1:8080)"),
            Self::Listen { addr, message } => write!(f, "cannot listen on {addr}: {message}"),
            Self::Serve(m) => write!(f, "web server failed: {m}"),
        }
    }
}

impl std::error::Error for WebError {}

/// What `host-sim train --web` needs.
#[derive(Debug, Clone)]
pub struct WebArgs {
    /// The pack folder.
    pub pack: PathBuf,
    /// Where to listen.
    pub addr: String,
    /// The database file.
    pub db: PathBuf,
}

/// Loads the pack, opens the database and serves until Ctrl-C.
pub fn run(args: &WebArgs) -> Result<(), WebError> {
    let addr: SocketAddr = args.addr.parse().map_err(|_| WebError::Addr(args.addr.clone()))?;
    let lessons = crate::train::pack::load_pack(&args.pack).map_err(WebError::Pack)?;
    let store = Store::open(&args.db).map_err(WebError::Store)?;
    let token = Token::random().map_err(WebError::Serve)?;
    let class = Class::new(lessons, store, token);
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| WebError::Serve(e.to_string()))?;
    runtime.block_on(async move {
        let listener =
            tokio::net::TcpListener::bind(addr).await.map_err(|e| WebError::Listen { addr, message: e.to_string() })?;
        let local = listener.local_addr().map_err(|e| WebError::Serve(e.to_string()))?;
        announce(&class, local, &args.db);
        axum::serve(listener, router(Arc::clone(&class)))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| WebError::Serve(e.to_string()))
    })
}

fn announce(class: &Class, addr: SocketAddr, db: &std::path::Path) {
    let questions: usize = class.lessons.iter().map(|l| l.questions().len()).sum();
    println!("training: {} lessons, {questions} questions; answers stored in {}", class.lessons.len(), db.display());
    for l in class.lessons.iter().filter(|l| l.questions.is_err()) {
        if let Err(e) = &l.questions {
            println!("  lesson {} cannot be played: {e}", l.name);
        }
    }
    println!("trainees:   http://{addr}/");
    println!("instructor: http://{addr}/instructor?token={}", class.token.as_str());
    println!("(Ctrl-C stops the server)");
}
