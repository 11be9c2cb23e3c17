//! `anpham serve`: editions on demand over HTTP (docs/serve.md).
//!
//! One stage per module: [`routes`] (the contract, the token, the log line), [`upload`]
//! (a body, or a zip archive checked entry by entry, stored as a job's input), [`jobs`]
//! (the bounded queue and the builds, through the library's `batch` entry points, as
//! `anpham build`), [`cache`] (results on disk by content, atomic, checked on read, least
//! recently used out), [`limits`], [`problem`] (RFC 9457) and [`openapi`].
//!
//! The server runs on tokio; builds run on its blocking pool, at most `--jobs` at a time,
//! never on the threads that answer requests. Behind the cargo feature `serve` (on by
//! default): an embedder of the library that sets `default-features = false` gets no tokio.

mod api;
mod cache;
mod jobs;
pub(crate) mod library;
mod limits;
mod opds;
mod openapi;
mod page;
mod problem;
mod routes;
mod upload;
mod web;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use clap::Args;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};

/// The environment variable that may hold the token instead of `--token`.
const TOKEN_ENV: &str = "ANPHAM_SERVE_TOKEN";

/// The options of `anpham serve`.
#[derive(Args, Debug)]
pub(crate) struct ServeArgs {
    /// Address to listen on (port 0: any free port; the address is printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Folder of jobs and cached results (created).
    #[arg(long, value_name = "DIR", default_value = "anpham-cache")]
    cache: PathBuf,
    /// Builds at a time [default: the number of cores].
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Jobs waiting at most; a submission beyond gets 503 with Retry-After.
    #[arg(long, value_name = "N", default_value_t = 256)]
    queue: usize,
    /// Largest request body (K, M, G).
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = limits::parse_size)]
    max_upload: u64,
    /// How long a job and its files are kept after it ends (d, h, m, s).
    #[arg(long, value_name = "DURATION", default_value = "1d", value_parser = limits::parse_duration)]
    keep: Duration,
    /// Largest cache of results; the least recently used go first.
    #[arg(long, value_name = "SIZE", default_value = "2G", value_parser = limits::parse_size)]
    cache_max: u64,
    /// Longest build of one job; a job over it fails with "time limit".
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = limits::parse_duration)]
    job_time_limit: Duration,
    /// Prefix of the links in answers (e.g. https://example.org/anpham) [default: none,
    /// links are paths].
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Bearer token the API requires (`Authorization: Bearer TOKEN`); also read from the
    /// environment variable ANPHAM_SERVE_TOKEN.
    #[arg(long, value_name = "TOKEN")]
    token: Option<String>,
    /// Listen on a non-loopback address without a token.
    #[arg(long)]
    public: bool,
    /// An origin allowed to call the API from a browser (CORS); off by default.
    #[arg(long, value_name = "ORIGIN")]
    cors: Vec<String>,
    /// A folder of articles, article folders and bulletin manifests to serve as a library:
    /// OPDS catalogs at /opds/catalog.json and /opds/catalog.xml, each edition built on
    /// its first request (changes to the folder are seen without a restart).
    #[arg(long, value_name = "DIR")]
    library: Option<PathBuf>,
}

/// Runs the server until SIGTERM or Ctrl-C: then it stops accepting, finishes the
/// running jobs and returns success. `build` is the command line's `anpham build` and
/// `parse` its parser of options given as words (`--format=…`): a submission's query
/// parameters are its options (`api.rs`), read by its parser, so that names and values
/// mean the same at both doors.
pub(crate) fn run(args: ServeArgs, build: &clap::Command, parse: api::OptionsParser) -> ExitCode {
    let options = Arc::new(api::BuildQuery::new(build, parse));
    match serve(args, options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn serve(args: ServeArgs, options: Arc<api::BuildQuery>) -> Result<(), String> {
    // The environment keeps the token out of the process list.
    let token = args
        .token
        .or_else(|| std::env::var(TOKEN_ENV).ok())
        .filter(|t| !t.is_empty());
    limits::check_listen(args.listen, token.is_some(), args.public)?;
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let settings = jobs::Settings {
        dir: args.cache.clone(),
        workers: args.jobs.unwrap_or(cores).max(1),
        queue: args.queue.max(1),
        time_limit: args.job_time_limit,
        keep: args.keep,
        cache_max: args.cache_max,
        zip: limits::ZipLimits::for_upload(args.max_upload),
        options: options.clone(),
    };
    let cors = cors_layer(&args.cors)?;
    let base_url = args
        .base_url
        .clone()
        .unwrap_or_default()
        .trim_end_matches('/')
        .to_string();
    let library = match &args.library {
        Some(dir) => Some(Arc::new(library::Library::open(
            dir,
            &base_url,
            options.options(&[]).map_err(|p| p.detail)?,
        )?)),
        None => None,
    };
    if let Some(lib) = &library {
        let c = lib.refresh();
        let failed = c.entries.iter().filter(|e| e.publication.is_err()).count();
        eprintln!(
            "anpham serve: library {}: {} publication(s), {failed} that cannot be loaded",
            lib.dir().display(),
            c.entries.len() - failed
        );
        for e in c.entries.iter().filter(|e| e.publication.is_err()) {
            if let Err(p) = &e.publication {
                eprintln!("  {}: {}", e.source, p.detail.lines().next().unwrap_or(""));
            }
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores.min(4))
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server's threads: {e}"))?;
    runtime.block_on(async move {
        let (jobs, queue) = jobs::Jobs::open(settings).map_err(|e| {
            format!(
                "{}: cannot open the cache folder: {e}\n  hint: give --cache DIR, a folder anpham may write",
                args.cache.display()
            )
        })?;
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
        let local = listener.local_addr().map_err(|e| e.to_string())?;
        println!("anpham serve: listening on http://{local}");
        use std::io::Write;
        let _ = std::io::stdout().flush();
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            wait_for_signal().await;
            eprintln!("anpham serve: stopping (finishing the running jobs)");
            let _ = stop_tx.send(true);
        });
        let dispatcher = tokio::spawn(jobs.clone().dispatch(queue, stop_rx.clone()));
        let gc = {
            let jobs = jobs.clone();
            let every = (args.keep / 10).clamp(Duration::from_secs(1), Duration::from_secs(60));
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(every);
                loop {
                    tick.tick().await;
                    let jobs = jobs.clone();
                    let _ = tokio::task::spawn_blocking(move || jobs.collect_garbage()).await;
                }
            })
        };
        let state = Arc::new(routes::AppState {
            jobs,
            token,
            max_upload: args.max_upload,
            base_url,
            library,
            stopping: stop_rx.clone(),
        });
        let mut app = routes::router(state, web::handler)
            .layer(DefaultBodyLimit::max(
                usize::try_from(args.max_upload).unwrap_or(usize::MAX),
            ))
            .layer(RequestBodyTimeoutLayer::new(Duration::from_secs(60)))
            .layer(TimeoutLayer::with_status_code(
                axum::http::StatusCode::REQUEST_TIMEOUT,
                Duration::from_secs(120),
            ));
        if let Some(cors) = cors {
            app = app.layer(cors);
        }
        let mut stopping = stop_rx.clone();
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stopping.wait_for(|s| *s).await;
            })
            .await
            .map_err(|e| format!("the server failed: {e}"))?;
        let _ = dispatcher.await;
        gc.abort();
        eprintln!("anpham serve: stopped");
        Ok(())
    })
}

/// SIGTERM or Ctrl-C.
async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {},
                    _ = tokio::signal::ctrl_c() => {},
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// CORS for the origins named, or none.
fn cors_layer(origins: &[String]) -> Result<Option<tower_http::cors::CorsLayer>, String> {
    use axum::http::{HeaderValue, Method, header};
    if origins.is_empty() {
        return Ok(None);
    }
    let origins: Vec<HeaderValue> = origins
        .iter()
        .map(|o| {
            HeaderValue::from_str(o.trim_end_matches('/'))
                .map_err(|_| format!("--cors `{o}` is not an origin (e.g. https://example.org)"))
        })
        .collect::<Result<_, _>>()?;
    Ok(Some(
        tower_http::cors::CorsLayer::new()
            .allow_origin(origins)
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::RANGE])
            .expose_headers([
                header::LOCATION,
                header::ETAG,
                header::CONTENT_RANGE,
                header::RETRY_AFTER,
            ]),
    ))
}
