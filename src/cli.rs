//! The `anpham` command line: parses the arguments, calls the library and prints what it
//! gives back (files written, warnings, errors). `src/main.rs` only calls [`main`]. The one
//! reader of the environment (`SOURCE_DATE_EPOCH`, `ANPHAM_ESPEAK`) and the one printer.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::batch::{self, BatchOptions, Event, Job};
use crate::editions::Timestamp;
use crate::editions::{EditionRequest, Format};
use crate::model::PageSizeName;
use crate::scale::{FontScale, MAX_STEP, MIN_STEP};

/// Accessible EPUB 3 and large-print tagged PDF/UA-1 editions of news articles.
///
/// Reads articles (JSON, TOML, Markdown with YAML front matter), folders of them, or a
/// bulletin manifest, and writes an EPUB and PDFs at one or more font scales.
#[derive(Parser)]
#[command(name = "anpham", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build editions (EPUB, PDF at each scale) of one article, a folder or a bulletin.
    ///
    /// Output names: SLUG.epub, SLUG.pdf (standard), SLUG.large.pdf (+3), SLUG.extra-large.pdf (+5),
    /// SLUG.step+1.pdf, SLUG.19pt.pdf … where SLUG is the article's slug (or the manifest's file name).
    Build(Box<BuildArgs>),
    /// Check inputs (syntax, fields, images, font coverage) without writing anything.
    Check {
        /// Article files, folders or a bulletin manifest.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Repair stray control characters instead of refusing them (see build --repair).
        #[arg(long)]
        repair: bool,
    },
    #[cfg(feature = "import")]
    /// Import saved article pages (.html/.htm, with their NAME_files folder) or the portal's
    /// plain-text copy (.txt) as Markdown articles: OUT_DIR/SLUG.md and OUT_DIR/img/SLUG/….
    ///
    /// Prints what was recognised (title, date, author, lead, figures) and what was not,
    /// with its place in the source. See docs/import.md.
    Import {
        /// Saved pages (.html, .htm) or text copies (.txt).
        #[arg(required = true)]
        sources: Vec<PathBuf>,
        /// Output folder (created if missing).
        #[arg(short, long)]
        out_dir: PathBuf,
        /// Print only what needs attention and errors.
        #[arg(short, long)]
        quiet: bool,
        /// Repair control characters in the pages' text (as `build --repair` does) before
        /// writing, each repair reported.
        #[arg(long)]
        repair: bool,
    },
    /// Print the font-scale ladder (print sizes and EPUB sizes).
    Scales,
    #[cfg(feature = "serve")]
    /// Serve editions over HTTP: POST /v1/editions, GET /v1/jobs/{id}, its files
    /// (docs/serve.md). Loopback only unless --token (or --public) is given.
    Serve(Box<crate::serve::ServeArgs>),
}

#[derive(Args)]
struct BuildArgs {
    /// Article files (.json, .toml, .md), folders of them, or one bulletin manifest.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Output folder (created if missing).
    #[arg(short, long, default_value = ".")]
    out_dir: PathBuf,
    /// Formats to build, combinable (-f epub,pdf) [default: the manifest's editions, else
    /// epub,pdf]:
    #[arg(short, long, value_delimiter = ',', value_parser = parse_format, long_help = format_help())]
    format: Vec<Format>,
    /// PDF font scale: a step from -2 to +6, a name (small, standard, large, extra-large,
    /// largest) or a size such as 19pt. Repeat for several PDF editions [default: large].
    #[arg(short, long, allow_hyphen_values = true)]
    scale: Vec<FontScale>,
    /// The EPUB's base text size (readers can still resize) [default: standard].
    #[arg(long, allow_hyphen_values = true)]
    epub_scale: Option<FontScale>,
    /// Which PDF edition's pages the EPUB page list follows [default: the first --scale].
    #[arg(long, allow_hyphen_values = true)]
    page_list: Option<FontScale>,
    /// PDF page size [default: a5].
    #[arg(long)]
    page_size: Option<PageSizeArg>,
    /// Main font: a .ttf/.otf file (siblings named …-Bold, …-Italic are used for those
    /// styles) or an installed family name; the bundled fonts stay as fallbacks.
    #[arg(long)]
    font: Option<String>,
    /// Build separate editions for each article instead of one bulletin.
    #[arg(long)]
    each: bool,
    /// Output name (SLUG) of a bulletin [default: the manifest's or the folder's name,
    /// else the first article's slug].
    #[arg(long, value_name = "SLUG")]
    name: Option<String>,
    /// Title of a bulletin (wins over a manifest's title and a folder's name) [default:
    /// the manifest's title, else the folder's name, else "Bản tin" and the dates].
    #[arg(long)]
    title: Option<String>,
    /// Where a bulletin's next article begins in the PDF: `share` (on the page where the
    /// previous one ends, below a rule, when a third of the page is left) or `page`
    /// (always on a new page) [default: share].
    #[arg(long, value_name = "share|page")]
    article_break: Option<crate::editions::ArticleBreak>,
    /// Print resolution of PDF images: images above 1.5× N ppi at their printed size are
    /// resampled to N; `original` keeps every image [default: 300].
    #[arg(long, value_name = "N|original")]
    image_ppi: Option<crate::editions::ImagePpi>,
    /// PDF standards: ua-1, a-2u,ua-1, a-2a,ua-1 or a-3a,ua-1 (embeds the source articles)
    /// [default: a-2a,ua-1].
    #[arg(long, value_name = "SET")]
    pdf_standard: Option<crate::editions::PdfStandard>,
    /// Worker threads [default: all cores].
    #[arg(short, long)]
    jobs: Option<usize>,
    /// Stop at the first failing article (with --each) instead of building the others.
    #[arg(long)]
    fail_fast: bool,
    /// Print only errors.
    #[arg(short, long)]
    quiet: bool,
    /// Repair stray control characters instead of refusing the article: C1 controls
    /// (U+0080–U+009F) become the Windows-1252 characters they stand for, other control
    /// characters are dropped; each change is printed as a warning with its place.
    #[arg(long)]
    repair: bool,
    // Each edition's own options, defined in its module (shown under its heading).
    #[command(flatten)]
    editions: crate::editions::EditionArgs,
}

/// A format of the registry of editions, or why not.
fn parse_format(s: &str) -> Result<Format, String> {
    Format::named(s).map_err(|e| e.to_string())
}

/// The `--format` help: every format this build writes, from the registry.
fn format_help() -> String {
    let mut help = String::from(
        "Formats to build, combinable (-f epub,pdf) [default: the manifest's editions, else epub,pdf]:",
    );
    for f in Format::all() {
        help.push_str(&format!("\n  {:<8} {}", f.name(), f.about()));
    }
    help
}

#[derive(Clone, Copy, ValueEnum)]
enum PageSizeArg {
    A4,
    A5,
    Letter,
}

impl From<PageSizeArg> for PageSizeName {
    fn from(p: PageSizeArg) -> Self {
        match p {
            PageSizeArg::A4 => PageSizeName::A4,
            PageSizeArg::A5 => PageSizeName::A5,
            PageSizeArg::Letter => PageSizeName::Letter,
        }
    }
}

/// Runs the `anpham` command with the process's arguments; its exit status (what the
/// binary's `main` calls).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Scales => {
            println!("step  print body  EPUB base  name");
            for step in MIN_STEP..=MAX_STEP {
                let s = FontScale::step(step);
                let name = match step {
                    -2 => "smallest",
                    -1 => "small",
                    0 => "standard",
                    3 => "large (large-print default)",
                    5 => "extra-large",
                    6 => "largest",
                    _ => "",
                };
                println!(
                    "{step:+4}  {:>7} pt  {:>8.1} %  {name}",
                    s.body_pt(),
                    s.css_percent()
                );
            }
            ExitCode::SUCCESS
        }
        Command::Check { inputs, repair } => check(&inputs, repair),
        Command::Build(args) => build(*args),
        #[cfg(feature = "import")]
        Command::Import {
            sources,
            out_dir,
            quiet,
            repair,
        } => import(&sources, &out_dir, quiet, repair),
        #[cfg(feature = "serve")]
        Command::Serve(args) => crate::serve::run(*args, &build_command(), build_options_of),
    }
}

/// `anpham check`: one publication, or each publication of a folder that holds a bulletin
/// manifest (each named before its summary; a broken one reported and the others checked).
fn check(inputs: &[PathBuf], repair: bool) -> ExitCode {
    let results = batch::check_each(inputs, repair);
    let several = results.len() > 1 || inputs.iter().any(|i| crate::input::holds_manifest(i));
    let mut failed = 0;
    for (path, r) in &results {
        match r {
            Ok(summary) if several => println!("{}:\n{summary}", path.display()),
            Ok(summary) => println!("{summary}"),
            Err(e) => {
                failed += 1;
                eprintln!("{}", e.report());
            }
        }
    }
    if several {
        println!(
            "checked {} publication(s): {} ok, {failed} failed",
            results.len(),
            results.len() - failed
        );
    }
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `anpham build`'s definition: `anpham serve` takes its options as a submission's query
/// parameters (their names, help and values).
#[cfg(feature = "serve")]
pub(crate) fn build_command() -> clap::Command {
    <BuildArgs as Args>::augment_args(clap::Command::new("build"))
}

/// The batch options of `anpham build`'s options given as words (`--format=epub,pdf` …):
/// `anpham serve` reads a request's query this way, so that its names and values are the
/// command line's. The error is clap's message.
#[cfg(feature = "serve")]
pub(crate) fn build_options_of(words: &[String]) -> Result<BatchOptions, String> {
    let argv = ["anpham", "build"]
        .into_iter()
        .map(String::from)
        .chain(words.iter().cloned())
        .chain(["--".to_string(), "input".to_string()]);
    match Cli::try_parse_from(argv) {
        Ok(Cli {
            command: Command::Build(args),
        }) => batch_options(&args).map_err(|e| e.report()),
        Ok(_) => Err("not a build".into()),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(feature = "import")]
fn import(sources: &[PathBuf], out_dir: &std::path::Path, quiet: bool, repair: bool) -> ExitCode {
    let mut failed = 0;
    for source in sources {
        match crate::import::write::import_to_with(source, out_dir, repair) {
            Ok(done) => {
                println!("{}:", source.display());
                for note in &done.imported.notes {
                    if !quiet || note.kind == crate::import::NoteKind::Attention {
                        println!("  {note}");
                    }
                }
                println!("wrote {}", done.written.markdown.display());
                for image in &done.written.images {
                    println!("wrote {}", image.display());
                }
                if let Err(e) = &done.reads_back {
                    println!(
                        "  to fix in {} before building:",
                        done.written.markdown.display()
                    );
                    for line in e.report().lines() {
                        println!("    {line}");
                    }
                }
            }
            Err(e) => {
                eprintln!("{}", e.report());
                failed += 1;
            }
        }
    }
    if failed > 0 {
        eprintln!("{failed} source(s) could not be imported");
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn build(args: BuildArgs) -> ExitCode {
    let started = Instant::now();
    let options = match batch_options(&args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{}", e.report());
            return ExitCode::FAILURE;
        }
    };
    let jobs: Vec<Job> = match batch::plan(&args.inputs, &options) {
        Ok(j) => j,
        Err(e) => {
            eprintln!("{}", e.report());
            return ExitCode::FAILURE;
        }
    };
    for job in &jobs {
        if let Ok(p) = &job.publication {
            for w in p.warnings() {
                eprintln!("{}: {w}", w.severity);
            }
        }
    }
    let interactive = std::io::stderr().is_terminal() && !args.quiet;
    let total: usize = jobs.iter().map(Job::outputs).sum();
    let bar = interactive.then(|| progress_bar(total));
    let quiet = args.quiet;
    let mut articles_done = 0usize;
    // The editions' warnings, each printed once (the files of one edition that share a
    // step, such as a translation, carry the same warnings).
    let mut warned = std::collections::HashSet::new();
    let report = batch::run(jobs, &options, |event| match event {
        Event::Written(w) => {
            for warning in &w.warnings {
                let text = warning.to_string();
                if warned.insert(text.clone()) {
                    match &bar {
                        Some(b) => b.suspend(|| eprintln!("{text}")),
                        None => eprintln!("{text}"),
                    }
                }
            }
            if let Some(b) = &bar {
                b.inc(1);
                b.set_message(format!("{} article(s) done", articles_done));
            } else if !quiet {
                println!("wrote {}", w.path.display());
            }
        }
        Event::Finished => articles_done += 1,
        Event::Failed { error, .. } => {
            if let Some(b) = &bar {
                b.suspend(|| eprintln!("{}", error.report()));
            } else {
                eprintln!("{}", error.report());
            }
        }
        Event::EditionFailed { failed, .. } => {
            let files: Vec<String> = failed
                .paths
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            let message = format!(
                "{} not written (the other editions are):\n{}",
                files.join(", "),
                failed.error.report()
            );
            if let Some(b) = &bar {
                b.inc(failed.paths.len() as u64);
                b.suspend(|| eprintln!("{message}"));
            } else {
                eprintln!("{message}");
            }
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if !quiet && (!report.written.is_empty() || !report.not_written.is_empty()) {
        print_written(&report, started);
    }
    if report.failures > 0 {
        eprintln!("{} article(s) or edition(s) failed", report.failures);
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The batch options of the flags (a format not given is `None`: the manifest's, else
/// the default).
fn batch_options(args: &BuildArgs) -> Result<BatchOptions, crate::Error> {
    let mut settings = EditionRequest::new();
    // Reproducible builds: the one place anpham reads the environment for a date
    // (the library reads no environment at all: the editions' options are given this
    // process's environment to read ANPHAM_ESPEAK).
    settings.date = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| Timestamp::from_epoch_text(&v));
    settings.image_ppi = args.image_ppi.unwrap_or_default();
    settings.pdf_standard = args.pdf_standard.unwrap_or_default();
    settings.article_break = args.article_break.unwrap_or_default();
    args.editions
        .apply(&mut settings, &|name| std::env::var_os(name))?;
    Ok(BatchOptions {
        out_dir: args.out_dir.clone(),
        formats: (!args.format.is_empty()).then(|| args.format.clone()),
        scales: (!args.scale.is_empty()).then(|| args.scale.clone()),
        epub_scale: args.epub_scale,
        page_list: args.page_list,
        page_size: args.page_size.map(Into::into),
        font: args.font.clone(),
        settings,
        each: args.each,
        jobs: args.jobs,
        fail_fast: args.fail_fast,
        repair: args.repair,
        name: args.name.clone(),
        title: args.title.clone(),
    })
}

/// The progress bar of an interactive build of `total` files.
fn progress_bar(total: usize) -> indicatif::ProgressBar {
    let b = indicatif::ProgressBar::new(total as u64);
    b.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} editions, {msg} (ETA {eta})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    b
}

/// The table of files written: name, pages, size, time; and the total.
fn print_written(report: &batch::Report, started: Instant) {
    println!(
        "\n{:<48} {:>6} {:>10} {:>8}",
        "file", "pages", "size", "time"
    );
    for w in &report.written {
        println!(
            "{:<48} {:>6} {:>10} {:>7.2}s",
            w.path.display(),
            w.pages.map_or("-".into(), |p| p.to_string()),
            human_size(w.bytes),
            w.seconds
        );
    }
    for path in &report.not_written {
        println!(
            "{:<48} {:>6} {:>10} {:>8}",
            path.display(),
            "-",
            "FAILED",
            "-"
        );
    }
    print!(
        "{} file(s) in {:.2}s",
        report.written.len(),
        started.elapsed().as_secs_f64()
    );
    match report.not_written.len() {
        0 => println!(),
        n => println!("; {n} not written (see the errors above)"),
    }
}

fn human_size(b: usize) -> String {
    if b >= 1 << 20 {
        format!("{:.1} MiB", b as f64 / (1 << 20) as f64)
    } else {
        format!("{:.1} KiB", b as f64 / 1024.0)
    }
}
